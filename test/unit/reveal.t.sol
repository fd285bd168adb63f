// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract Reveal_Unit_Test is Base {
    bytes32 internal commitment;

    function setUp() public override {
        super.setUp();
        commitment = registry.computeCommitment(HASH, alice, SALT);
        vm.prank(alice);
        registry.commit(commitment);
    }

    function _reveal(address caller, bytes32 salt) internal {
        vm.prank(caller);
        registry.reveal(_registration(HASH), salt);
    }

    function test_RevertWhen_TooEarly() external {
        uint256 currentTime = START + registry.MIN_REVEAL_DELAY() - 1;
        vm.warp(currentTime);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_RevealTooEarly.selector,
                commitment,
                START + registry.MIN_REVEAL_DELAY(),
                currentTime
            )
        );
        _reveal(alice, SALT);
        _assertUnregistered(HASH);
        assertEq(registry.commitmentOf(alice, commitment), START);
    }

    function test_RevertWhen_Expired() external {
        uint256 currentTime = START + registry.COMMITMENT_LIFETIME() + 1;
        vm.warp(currentTime);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_CommitmentExpired.selector,
                commitment,
                START + registry.COMMITMENT_LIFETIME(),
                currentTime
            )
        );
        _reveal(alice, SALT);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_WrongSalt() external {
        vm.warp(START + 1 hours);
        bytes32 wrong = keccak256("wrong salt");
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                alice,
                registry.computeCommitment(HASH, alice, wrong)
            )
        );
        _reveal(alice, wrong);
        _assertUnregistered(HASH);
        assertEq(registry.commitmentOf(alice, commitment), START);
    }

    /// @dev Eve copies alice's pending reveal (hash and salt) and submits it first: it matches no commitment of hers.
    function test_RevertWhen_FrontRunByOtherCaller() external {
        vm.warp(START + 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                eve,
                registry.computeCommitment(HASH, eve, SALT)
            )
        );
        _reveal(eve, SALT);
        _assertUnregistered(HASH);
    }

    /// @dev Eve copied alice's commitment itself: her copy binds alice's address, so it can only credit alice,
    /// and only alice can reveal.
    function test_RevertWhen_CopiedCommitmentIsRevealed() external {
        vm.prank(eve);
        registry.commit(commitment);
        vm.warp(START + 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                eve,
                registry.computeCommitment(HASH, eve, SALT)
            )
        );
        _reveal(eve, SALT);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_RevealedTwice() external {
        vm.warp(START + 1 hours);
        _reveal(alice, SALT);
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownCommitment.selector, alice, commitment)
        );
        _reveal(alice, SALT);
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_RegisteredBeforeCommitment() external {
        bytes32 earlyCommitment = registry.computeCommitment(OTHER_HASH, alice, SALT);
        _registerAs(bob, OTHER_HASH);
        vm.warp(START + 1);
        vm.prank(alice);
        registry.commit(earlyCommitment);
        vm.warp(START + 1 hours);
        bytes32 before = _recordWord(OTHER_HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, OTHER_HASH, bob));
        vm.prank(alice);
        registry.reveal(_registration(OTHER_HASH), SALT);
        assertEq(_recordWord(OTHER_HASH), before);
        assertEq(registry.commitmentOf(alice, earlyCommitment), START + 1);
    }

    function test_RevertWhen_ParentIsMissing() external {
        vm.warp(START + 1 hours);
        Authorship.Registration memory registration = _registration(HASH);
        registration.parents = new bytes32[](1);
        registration.parents[0] = OTHER_HASH;
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownParent.selector, HASH, OTHER_HASH));
        vm.prank(alice);
        registry.reveal(registration, SALT);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_HashIsZero() external {
        bytes32 zeroCommitment = registry.computeCommitment(bytes32(0), alice, SALT);
        vm.prank(alice);
        registry.commit(zeroCommitment);
        vm.warp(START + 1 hours);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        vm.prank(alice);
        registry.reveal(_registration(bytes32(0)), SALT);
        _assertUnregistered(bytes32(0));
    }

    function test_Reveal_DatedAtCommitment() external {
        vm.warp(START + registry.MIN_REVEAL_DELAY());
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(HASH, alice, Authorship.Kind.Prompt, uint40(START), true, URI);
        _reveal(alice, SALT);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
        assertEq(registry.commitmentOf(alice, commitment), 0, "commitment deleted");
    }

    function test_Reveal_AtExpiry() external {
        vm.warp(START + registry.COMMITMENT_LIFETIME());
        _reveal(alice, SALT);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }

    /// @dev Eve copies the hash from alice's pending reveal and registers it directly first: the reveal's older
    /// evidence supersedes her record.
    function test_Reveal_SupersedesRecordMadeAfterCommitment() external {
        vm.warp(START + 1 hours);
        _registerAs(eve, HASH);
        vm.prank(eve);
        registry.transferAuthorship(HASH, eve == bob ? alice : bob);

        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.RegistrationSuperseded(HASH, eve, uint40(START + 1 hours), uint40(START));
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(HASH, alice, Authorship.Kind.Prompt, uint40(START), true, URI);
        _reveal(alice, SALT);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
        assertEq(registry.getRecord(HASH).nonce, 1, "nonce carries on");
        assertEq(registry.pendingAuthorOf(HASH), address(0), "pending transfer cleared");
    }
}
