// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship } from "../utils/Base.t.sol";

contract RegisterBySig_Fuzz_Test is Base {
    function _pk(uint256 seed) internal pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    function testFuzz_RegisterBySig(
        uint256 signerSeed,
        bytes32 contributionId,
        uint8 kind,
        bool consent,
        string memory uri,
        uint256 deadline
    ) external {
        vm.assume(contributionId != bytes32(0));
        uint256 pk = _pk(signerSeed);
        address author = vm.addr(pk);
        deadline = bound(deadline, block.timestamp, type(uint256).max);
        Authorship.Registration memory registration = _registration(contributionId);
        registration.kind = uint8(bound(kind, 0, 5));
        registration.trainingConsent = consent;
        registration.uri = uri;
        bytes memory signature = _signRegistration(pk, registration, author, deadline);

        vm.prank(relayer);
        assertTrue(registry.registerBySig(registration, author, deadline, signature));
        _assertRecord(contributionId, author, block.timestamp, Authorship.Kind(registration.kind), consent);

        // And again: a no-op, not a revert.
        vm.prank(relayer);
        assertFalse(registry.registerBySig(registration, author, deadline, signature));
    }

    function testFuzz_RevertWhen_OtherSigner(uint256 signerSeed, uint256 otherSeed, bytes32 contributionId) external {
        vm.assume(contributionId != bytes32(0));
        uint256 pk = _pk(signerSeed);
        uint256 otherPk = _pk(otherSeed);
        vm.assume(pk != otherPk);
        address author = vm.addr(pk);
        Authorship.Registration memory registration = _registration(contributionId);
        bytes memory signature = _signRegistration(otherPk, registration, author, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, author, vm.addr(otherPk))
        );
        vm.prank(relayer);
        registry.registerBySig(registration, author, block.timestamp, signature);
        _assertUnregistered(contributionId);
    }

    function testFuzz_RevertWhen_OtherChain(uint256 signerSeed, uint64 chainId) external {
        vm.assume(chainId != block.chainid);
        uint256 pk = _pk(signerSeed);
        address author = vm.addr(pk);
        Authorship.Registration memory registration = _registration(HASH);
        bytes memory signature = _sign(
            pk,
            _digest(chainId, address(registry), _registrationStructHash(registration, author, block.timestamp))
        );
        vm.expectPartialRevert(Errors.AuthorshipRegistry_InvalidSigner.selector);
        vm.prank(relayer);
        registry.registerBySig(registration, author, block.timestamp, signature);
        _assertUnregistered(HASH);
    }

    function testFuzz_RevertWhen_Expired(uint256 signerSeed, uint256 deadline, uint256 late) external {
        deadline = bound(deadline, 0, type(uint256).max - 1);
        uint256 currentTime = bound(late, deadline + 1, type(uint256).max);
        vm.assume(currentTime <= type(uint40).max);
        uint256 pk = _pk(signerSeed);
        address author = vm.addr(pk);
        Authorship.Registration memory registration = _registration(HASH);
        bytes memory signature = _signRegistration(pk, registration, author, deadline);
        vm.warp(currentTime);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_SignatureExpired.selector, deadline, currentTime)
        );
        vm.prank(relayer);
        registry.registerBySig(registration, author, deadline, signature);
        _assertUnregistered(HASH);
    }

    function testFuzz_RevertWhen_HighS(uint256 signerSeed, bytes32 contributionId) external {
        vm.assume(contributionId != bytes32(0));
        uint256 pk = _pk(signerSeed);
        address author = vm.addr(pk);
        Authorship.Registration memory registration = _registration(contributionId);
        (bytes memory twin, bytes32 highS) = _highS(_signRegistration(pk, registration, author, block.timestamp));
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_MalleableSignature.selector, author, highS));
        vm.prank(relayer);
        registry.registerBySig(registration, author, block.timestamp, twin);
        _assertUnregistered(contributionId);
    }

    function testFuzz_RevertWhen_SignatureBytesTampered(uint256 signerSeed, uint256 position, uint8 flip) external {
        vm.assume(flip != 0);
        uint256 pk = _pk(signerSeed);
        address author = vm.addr(pk);
        Authorship.Registration memory registration = _registration(HASH);
        bytes memory signature = _signRegistration(pk, registration, author, block.timestamp);
        signature[bound(position, 0, 64)] ^= bytes1(flip);
        vm.expectRevert();
        vm.prank(relayer);
        registry.registerBySig(registration, author, block.timestamp, signature);
        _assertUnregistered(HASH);
    }
}
