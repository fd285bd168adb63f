// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";
import { ERC1271WalletMock } from "../mocks/ERC1271WalletMock.sol";
import { BadMagicWalletMock } from "../mocks/BadMagicWalletMock.sol";

contract RegisterBySig_Unit_Test is Base {
    uint256 internal deadline;
    Authorship.Registration internal registration;

    function setUp() public override {
        super.setUp();
        deadline = START + 1 hours;
        registration = _registration(HASH);
    }

    function _submit(address author, bytes memory signature) internal returns (bool) {
        vm.prank(relayer);
        return registry.registerBySig(registration, author, deadline, signature);
    }

    function test_HashRegistration_MatchesIndependentDigest() external view {
        assertEq(
            registry.hashRegistration(registration, alice, deadline),
            _digest(block.chainid, address(registry), _registrationStructHash(registration, alice, deadline))
        );
    }

    function test_RegisterBySig_Eoa() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(HASH, alice, Authorship.Kind.Prompt, uint40(START), true, URI);
        assertTrue(_submit(alice, signature));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }

    function test_RegisterBySig_AtDeadline() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.warp(deadline);
        assertTrue(_submit(alice, signature));
        _assertRecord(HASH, alice, deadline, Authorship.Kind.Prompt, true);
    }

    function test_RegisterBySig_Erc1271Wallet() external {
        ERC1271WalletMock wallet = new ERC1271WalletMock(bob);
        bytes memory signature = _signRegistration(bobPk, registration, address(wallet), deadline);
        assertTrue(_submit(address(wallet), signature));
        _assertRecord(HASH, address(wallet), START, Authorship.Kind.Prompt, true);
    }

    /// @dev The relayer's retry (or its copy landing first) must not cost it a failed transaction.
    function test_RegisterBySig_ResubmissionIsANoOp() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        assertTrue(_submit(alice, signature));
        bytes32 before = _recordWord(HASH);
        vm.warp(deadline + 1 days);
        vm.recordLogs();
        assertFalse(_submit(alice, signature));
        assertEq(vm.getRecordedLogs().length, 0, "no event");
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_DeadlinePassed() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_SignatureExpired.selector, deadline, deadline + 1)
        );
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_SignedForOtherChain() external {
        bytes32 digest = _digest(
            block.chainid + 1,
            address(registry),
            _registrationStructHash(registration, alice, deadline)
        );
        bytes memory signature = _sign(alicePk, digest);
        address recovered = ecrecover(
            registry.hashRegistration(registration, alice, deadline),
            _v(signature),
            _r(signature),
            _s(signature)
        );
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, recovered));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_SignedForOtherContract() external {
        bytes32 digest = _digest(
            block.chainid,
            address(0xBEEF),
            _registrationStructHash(registration, alice, deadline)
        );
        bytes memory signature = _sign(alicePk, digest);
        address recovered = ecrecover(
            registry.hashRegistration(registration, alice, deadline),
            _v(signature),
            _r(signature),
            _s(signature)
        );
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, recovered));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_SignedByOtherSigner() external {
        bytes memory signature = _signRegistration(bobPk, registration, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, bob));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_SignedForOtherContent() external {
        Authorship.Registration memory other = _registration(OTHER_HASH);
        bytes memory signature = _signRegistration(alicePk, other, alice, deadline);
        address recovered = ecrecover(
            registry.hashRegistration(registration, alice, deadline),
            _v(signature),
            _r(signature),
            _s(signature)
        );
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, recovered));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_SignatureIsMalformed() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidSigner.selector, alice, address(0)));
        _submit(alice, hex"1234");
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_HighSMalleableForm() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        (bytes memory twin, bytes32 highS) = _highS(signature);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_MalleableSignature.selector, alice, highS));
        _submit(alice, twin);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_WalletAnswersWrongMagicValue() external {
        BadMagicWalletMock wallet = new BadMagicWalletMock();
        bytes memory signature = _signRegistration(alicePk, registration, address(wallet), deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_InvalidWalletSignature.selector,
                address(wallet),
                registry.hashRegistration(registration, address(wallet), deadline)
            )
        );
        _submit(address(wallet), signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_WalletOwnerDidNotSign() external {
        ERC1271WalletMock wallet = new ERC1271WalletMock(bob);
        bytes memory signature = _signRegistration(alicePk, registration, address(wallet), deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_InvalidWalletSignature.selector,
                address(wallet),
                registry.hashRegistration(registration, address(wallet), deadline)
            )
        );
        _submit(address(wallet), signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_RegisteredByOtherAuthor() external {
        _registerAs(bob, HASH);
        bytes32 before = _recordWord(HASH);
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, bob));
        _submit(alice, signature);
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_ParentIsMissing() external {
        registration.parents.push(OTHER_HASH);
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownParent.selector, HASH, OTHER_HASH));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_HashIsZero() external {
        registration.contributionId = bytes32(0);
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        _submit(alice, signature);
        _assertUnregistered(bytes32(0));
    }

    function _r(bytes memory signature) internal pure returns (bytes32 r) {
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
        }
    }

    function _s(bytes memory signature) internal pure returns (bytes32 s) {
        assembly ("memory-safe") {
            s := mload(add(signature, 0x40))
        }
    }

    function _v(bytes memory signature) internal pure returns (uint8 v) {
        assembly ("memory-safe") {
            v := byte(0, mload(add(signature, 0x60)))
        }
    }

    /// @dev A well-signed registration of a kind outside the enum is refused by name, after the signature checks.
    function test_RevertWhen_KindInvalid() external {
        registration.kind = INVALID_KIND;
        bytes memory signature = _signRegistration(alicePk, registration, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        _submit(alice, signature);
        _assertUnregistered(HASH);
    }
}
