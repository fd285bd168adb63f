// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors } from "../VaultBase.t.sol";

/// @notice The issue's attack, end to end. A provider gives units to four contributions nobody has registered yet,
/// which makes their hashes public in `UnitsSet`; eve registers them all right away and tries every way to claim.
/// - PROMPT: alice committed to it before the exposure (the SDK's default way in).
/// - DATASET: an attester anchored bob's leaf before the exposure.
/// - LATE: carol had no evidence and registers days after the exposure; the provider confirms her.
/// - SQUATTED: carol's too, but eve registered it first and keeps the record: nobody is paid.
contract EscrowAttack_Integration_Test is VaultBase {
    bytes32 internal constant PROMPT = keccak256("alice's private prompt");
    bytes32 internal constant DATASET = keccak256("bob's dataset");
    bytes32 internal constant LATE = keccak256("carol's correction");
    bytes32 internal constant SQUATTED = keccak256("carol's rating");

    address internal carol;
    uint256 internal exposedAt;
    bytes32 internal root;
    bytes32[] internal proof;

    function setUp() public override {
        super.setUp();
        carol = makeAddr("carol");
        _commit(alice, PROMPT);
        (root, proof) = _anchor(bob, DATASET);

        vm.warp(START + 1 hours);
        exposedAt = block.timestamp;
        bytes32[] memory ids = new bytes32[](4);
        ids[0] = PROMPT;
        ids[1] = DATASET;
        ids[2] = LATE;
        ids[3] = SQUATTED;
        uint256[] memory units = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) units[i] = 1;
        vm.prank(admin);
        vault.setUnits(pool, ids, units);
        _deposit(pool, 4_000e6);

        // Eve reads the hashes in the pool's events and registers three of them in the next block.
        vm.warp(exposedAt + 12);
        _register(eve, PROMPT);
        _register(eve, DATASET);
        _register(eve, SQUATTED);
    }

    function _one(bytes32 id) internal view returns (uint256[] memory poolIds, bytes32[][] memory lists) {
        poolIds = new uint256[](1);
        poolIds[0] = pool;
        lists = new bytes32[][](1);
        lists[0] = _ids(id);
    }

    function _expectUnconfirmed(bytes32 id) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                id,
                eve,
                uint40(exposedAt + 12),
                uint40(exposedAt)
            )
        );
    }

    function test_TheCopierIsPaidNothing() external {
        vm.warp(exposedAt + DURATION);
        bytes32[3] memory copied = [PROMPT, DATASET, SQUATTED];
        for (uint256 i = 0; i < 3; ++i) {
            (uint256[] memory poolIds, bytes32[][] memory lists) = _one(copied[i]);
            _expectUnconfirmed(copied[i]);
            vm.prank(eve);
            vault.claim(pool, copied[i], eve);
            _expectUnconfirmed(copied[i]);
            vm.prank(eve);
            vault.claimBatch(poolIds, lists, eve);
            _expectUnconfirmed(copied[i]);
            vm.prank(keeper);
            vault.claimFor(poolIds, lists);
            assertFalse(vault.canClaim(pool, copied[i]));
        }
        assertEq(usdc.balanceOf(eve), 0);
    }

    /// @dev Alice's reveal supersedes eve's copy (the commitment is older) and claims.
    function test_AnAuthorWhoCommittedBeforeTheExposureClaims() external {
        vm.warp(START + 1 days);
        _reveal(alice, PROMPT);
        assertEq(registry.authorOf(PROMPT), alice);
        vm.warp(exposedAt + DURATION);
        vm.prank(alice);
        assertEq(vault.claim(pool, PROMPT, alice), 1_000e6);
    }

    /// @dev Anyone materializes bob's leaf within the week: it supersedes eve's copy, and a keeper pays bob.
    function test_AnAuthorAnchoredBeforeTheExposureClaims() external {
        vm.warp(exposedAt + 6 days);
        _materialize(root, bob, DATASET, proof);
        assertEq(registry.authorOf(DATASET), bob);
        vm.warp(exposedAt + DURATION);
        (uint256[] memory poolIds, bytes32[][] memory lists) = _one(DATASET);
        vm.prank(keeper);
        vault.claimFor(poolIds, lists);
        assertEq(usdc.balanceOf(bob), 1_000e6);
    }

    /// @dev Carol registers late; the provider checks who she is and confirms her record.
    function test_AConfirmedLateAuthorClaims() external {
        vm.warp(exposedAt + 3 days);
        _register(carol, LATE);
        vm.warp(exposedAt + DURATION);
        vm.expectPartialRevert(Errors.RoyaltyVault_EscrowUnconfirmed.selector);
        vm.prank(carol);
        vault.claim(pool, LATE, carol);
        vm.prank(admin);
        vault.confirmAuthor(pool, LATE, carol);
        vm.prank(carol);
        assertEq(vault.claim(pool, LATE, carol), 1_000e6);
    }

    /// @dev What the escrow cannot do: carol has no evidence, eve holds the record, and the provider can confirm only
    /// the registered author. The royalties stay in escrow; eve never gets them.
    function test_ASquattedHashPaysNobody() external {
        vm.warp(exposedAt + DURATION);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, SQUATTED, eve));
        _register(carol, SQUATTED);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_AuthorMismatch.selector, SQUATTED, carol, eve));
        vm.prank(admin);
        vault.confirmAuthor(pool, SQUATTED, carol);
        assertEq(vault.claimable(pool, SQUATTED), 1_000e6, "waits in escrow");
        _expectUnconfirmed(SQUATTED);
        vm.prank(eve);
        vault.claim(pool, SQUATTED, eve);
    }
}
