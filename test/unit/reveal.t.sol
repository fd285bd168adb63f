// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract Reveal_Unit_Test is Base {
    bytes32 internal commitment;

    function setUp() public override {
        super.setUp();
        commitment = registry.computeCommitment(_registration(HASH), alice, SALT);
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
                registry.computeCommitment(_registration(HASH), alice, wrong)
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
                registry.computeCommitment(_registration(HASH), eve, SALT)
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
                registry.computeCommitment(_registration(HASH), eve, SALT)
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
        bytes32 earlyCommitment = registry.computeCommitment(_registration(OTHER_HASH), alice, SALT);
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
        Authorship.Registration memory registration = _registration(HASH);
        registration.parents = new bytes32[](1);
        registration.parents[0] = OTHER_HASH;
        _commitAs(alice, registration, SALT);
        vm.warp(START + 1 hours);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownParent.selector, HASH, OTHER_HASH));
        vm.prank(alice);
        registry.reveal(registration, SALT);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_HashIsZero() external {
        bytes32 zeroCommitment = registry.computeCommitment(_registration(bytes32(0)), alice, SALT);
        vm.prank(alice);
        registry.commit(zeroCommitment);
        vm.warp(START + 1 hours);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        vm.prank(alice);
        registry.reveal(_registration(bytes32(0)), SALT);
        _assertUnregistered(bytes32(0));
    }

    function test_RevertWhen_KindInvalid() external {
        Authorship.Registration memory registration = _registration(OTHER_HASH);
        registration.kind = INVALID_KIND;
        bytes32 invalidCommitment = _commitAs(alice, registration, SALT);
        vm.warp(START + 1 hours);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        vm.prank(alice);
        registry.reveal(registration, SALT);
        _assertUnregistered(OTHER_HASH);
        assertEq(registry.commitmentOf(alice, invalidCommitment), START, "commitment kept");
    }

    /// @dev The commitment binds every field: alice herself cannot reveal another kind, consent, parents or URI than
    /// the ones she committed to.
    function test_RevertWhen_FieldsDifferFromCommitment() external {
        vm.warp(START + 1 hours);
        Authorship.Registration memory registration = _registration(HASH);
        registration.uri = "ipfs://another";
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                alice,
                _commitment(registration, alice, SALT)
            )
        );
        vm.prank(alice);
        registry.reveal(registration, SALT);
        _assertUnregistered(HASH);
        assertEq(registry.commitmentOf(alice, commitment), START, "commitment kept");
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

    /// @dev A commitment lives one day and the supersession window is a week: a reveal always comes in time to
    /// supersede a copy registered after its commitment, even at the last second of its lifetime.
    function test_Reveal_SupersedesAtTheEndOfItsLifetime() external {
        vm.warp(START + 1);
        _registerAs(eve, HASH);
        vm.warp(START + registry.COMMITMENT_LIFETIME());
        assertFalse(registry.isFinal(HASH), "the copy is not final yet");
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.RegistrationSuperseded(HASH, eve, uint40(START + 1), uint40(START));
        _reveal(alice, SALT);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }
}
