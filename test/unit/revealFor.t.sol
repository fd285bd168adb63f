// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

/// @notice The relayed reveal: alice signed a commitment that a relayer stored at START, and anyone reveals it.
contract RevealFor_Unit_Test is Base {
    Authorship.Registration internal registration;
    bytes32 internal commitment;

    function setUp() public override {
        super.setUp();
        registration = _registration(HASH);
        commitment = _commitment(registration, alice, SALT);
        bytes memory signature = _signCommitment(alicePk, commitment, alice, START + 1 hours);
        vm.prank(relayer);
        registry.commitBySig(alice, commitment, START + 1 hours, signature);
        vm.warp(START + registry.MIN_REVEAL_DELAY());
    }

    function _revealFor(address caller, Authorship.Registration memory registration_) internal returns (bool) {
        vm.prank(caller);
        return registry.revealFor(registration_, alice, SALT);
    }

    function test_RevealFor_AnyoneSubmits() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(HASH, alice, Authorship.Kind.Prompt, uint40(START), true, URI);
        assertTrue(_revealFor(eve, registration));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
        assertEq(registry.commitmentOf(alice, commitment), 0, "commitment deleted");
    }

    function test_RevealFor_WithParents() external {
        _registerAs(bob, OTHER_HASH);
        Authorship.Registration memory derived = _registration(keccak256("derived"));
        derived.parents = new bytes32[](1);
        derived.parents[0] = OTHER_HASH;
        _commitAs(alice, derived, SALT);
        vm.warp(block.timestamp + registry.MIN_REVEAL_DELAY());
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionDerived(derived.contributionId, derived.parents);
        assertTrue(_revealFor(relayer, derived));
    }

    /// @dev Eve reads the pending revealFor (salt included) and front-runs it with alice's hash and salt but her own
    /// choice of kind: that is not what alice committed to.
    function test_RevertWhen_FrontRunWithOtherKind() external {
        Authorship.Registration memory copy = _copy();
        copy.kind = uint8(Authorship.Kind.Dataset);
        _expectUnknownCommitment(copy);
        _revealFor(eve, copy);
        _assertGenuineRevealStands();
    }

    /// @dev Without consent anyone could remove alice's contribution from every pool.
    function test_RevertWhen_FrontRunWithoutConsent() external {
        Authorship.Registration memory copy = _copy();
        copy.trainingConsent = false;
        _expectUnknownCommitment(copy);
        _revealFor(eve, copy);
        _assertGenuineRevealStands();
    }

    function test_RevertWhen_FrontRunWithSpamUri() external {
        Authorship.Registration memory copy = _copy();
        copy.uri = "https://spam.example";
        _expectUnknownCommitment(copy);
        _revealFor(eve, copy);
        _assertGenuineRevealStands();
    }

    function test_RevertWhen_FrontRunWithOtherParents() external {
        _registerAs(eve, OTHER_HASH);
        Authorship.Registration memory copy = _copy();
        copy.parents = new bytes32[](1);
        copy.parents[0] = OTHER_HASH;
        _expectUnknownCommitment(copy);
        _revealFor(eve, copy);
        _assertGenuineRevealStands();
    }

    /// @dev The commitment is alice's: revealing it for anyone else matches nothing of theirs.
    function test_RevertWhen_RevealedForOtherAuthor() external {
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                eve,
                _commitment(registration, eve, SALT)
            )
        );
        vm.prank(eve);
        registry.revealFor(registration, eve, SALT);
        _assertGenuineRevealStands();
    }

    function test_RevertWhen_RevealedForZeroAuthor() external {
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                address(0),
                _commitment(registration, address(0), SALT)
            )
        );
        vm.prank(eve);
        registry.revealFor(registration, address(0), SALT);
        _assertGenuineRevealStands();
    }

    function test_RevertWhen_TooEarly() external {
        vm.warp(START + registry.MIN_REVEAL_DELAY() - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_RevealTooEarly.selector,
                commitment,
                START + registry.MIN_REVEAL_DELAY(),
                block.timestamp
            )
        );
        _revealFor(relayer, registration);
        _assertNothingChanged();
    }

    function test_RevertWhen_Expired() external {
        vm.warp(START + registry.COMMITMENT_LIFETIME() + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_CommitmentExpired.selector,
                commitment,
                START + registry.COMMITMENT_LIFETIME(),
                block.timestamp
            )
        );
        _revealFor(relayer, registration);
        _assertNothingChanged();
    }

    function test_RevertWhen_KindInvalid() external {
        Authorship.Registration memory invalid = _registration(OTHER_HASH);
        invalid.kind = INVALID_KIND;
        bytes32 invalidCommitment = _commitAs(alice, invalid, SALT);
        vm.warp(block.timestamp + registry.MIN_REVEAL_DELAY());
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        _revealFor(relayer, invalid);
        _assertUnregistered(OTHER_HASH);
        assertGt(registry.commitmentOf(alice, invalidCommitment), 0, "commitment kept");
    }

    /// @dev Eve reads the hash in the pending revealFor and registers it directly in front of it: the reveal's
    /// evidence (the commitment) is older, so it supersedes her record.
    function test_RevealFor_SupersedesACopyRegisteredFirst() external {
        _registerAs(eve, HASH);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.RegistrationSuperseded(HASH, eve, uint40(block.timestamp), uint40(START));
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(HASH, alice, Authorship.Kind.Prompt, uint40(START), true, URI);
        assertTrue(_revealFor(relayer, registration));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }

    /// @dev The relayer's retry, or the genuine copy of the reveal that landed first, is a no-op rather than a
    /// failed transaction.
    function test_RevealFor_ResubmissionReturnsFalse() external {
        assertTrue(_revealFor(eve, registration));
        bytes32 before = _recordWord(HASH);
        vm.recordLogs();
        assertFalse(_revealFor(relayer, registration));
        assertEq(vm.getRecordedLogs().length, 0, "no event");
        assertEq(_recordWord(HASH), before);
    }

    /// @dev As documented, any record of alice's makes the relayed reveal a no-op, even one alice made directly
    /// after her commitment: the record keeps its later date (alice's own {reveal} would supersede it).
    function test_RevealFor_ReturnsFalseWhenTheAuthorAlreadyHasTheRecord() external {
        _registerAs(alice, HASH);
        assertFalse(_revealFor(relayer, registration));
        _assertRecord(HASH, alice, block.timestamp, Authorship.Kind.Prompt, true);
        assertEq(registry.commitmentOf(alice, commitment), START, "commitment kept");
    }

    function _copy() internal view returns (Authorship.Registration memory copy) {
        copy = registration;
    }

    function _expectUnknownCommitment(Authorship.Registration memory copy) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownCommitment.selector,
                alice,
                _commitment(copy, alice, SALT)
            )
        );
    }

    /// @dev Nothing registered, alice's commitment intact.
    function _assertNothingChanged() internal view {
        _assertUnregistered(HASH);
        assertEq(registry.commitmentOf(alice, commitment), START, "commitment kept");
    }

    /// @dev Nothing changed, and alice's genuine reveal still goes through after the failed copy.
    function _assertGenuineRevealStands() internal {
        _assertNothingChanged();
        assertTrue(_revealFor(relayer, registration));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }
}
