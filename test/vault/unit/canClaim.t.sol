// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Vault } from "../VaultBase.t.sol";

/// @notice canClaim and escrowOf: what the escrow rule answers in each state of a position and its record.
contract CanClaim_Unit_Test is VaultBase {
    function test_CanClaim_PositionNotEscrowed() external {
        _register(alice, ID);
        _setUnits(pool, ID, 1);
        assertTrue(vault.canClaim(pool, ID));
        Vault.Escrow memory escrow = vault.escrowOf(pool, ID);
        assertEq(escrow.exposedAt, 0);
        assertEq(escrow.confirmedAt, 0);
    }

    /// @dev Zero units open no escrow: nothing accrues to the hash, so nothing is made worth claiming.
    function test_CanClaim_ZeroUnitsOpenNoEscrow() external {
        _setUnits(pool, ID, 0);
        assertTrue(vault.canClaim(pool, ID));
        assertEq(vault.escrowOf(pool, ID).exposedAt, 0);
    }

    function test_CanClaim_EscrowedAndUnregistered() external {
        _setUnits(pool, ID, 1);
        assertFalse(vault.canClaim(pool, ID));
        assertEq(vault.escrowOf(pool, ID).exposedAt, START);
    }

    function test_CanClaim_RecordAfterExposure() external {
        _setUnits(pool, ID, 1);
        vm.warp(START + 1);
        _register(eve, ID);
        assertFalse(vault.canClaim(pool, ID));
    }

    function test_CanClaim_RecordInTheBlockOfExposure() external {
        _setUnits(pool, ID, 1);
        _register(eve, ID);
        assertFalse(vault.canClaim(pool, ID));
    }

    function test_CanClaim_CommitmentBeforeExposure() external {
        _commit(alice, ID);
        vm.warp(START + 1 minutes);
        _setUnits(pool, ID, 1);
        assertFalse(vault.canClaim(pool, ID), "not before the reveal");
        _reveal(alice, ID);
        assertTrue(vault.canClaim(pool, ID));
    }

    function test_CanClaim_AnchorBeforeExposure() external {
        (bytes32 root, bytes32[] memory proof) = _anchor(alice, ID);
        vm.warp(START + 1);
        _setUnits(pool, ID, 1);
        _materialize(root, alice, ID, proof);
        assertTrue(vault.canClaim(pool, ID));
    }

    function test_CanClaim_ConfirmedThenTransferred() external {
        _setUnits(pool, ID, 1);
        vm.warp(START + 1 hours);
        _register(alice, ID);
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, alice);
        assertTrue(vault.canClaim(pool, ID));
        vm.prank(alice);
        registry.transferAuthorship(ID, bob);
        vm.prank(bob);
        registry.acceptAuthorship(ID);
        assertTrue(vault.canClaim(pool, ID), "the confirmed record changed hands");
    }

    function test_CanClaim_ConfirmedThenSuperseded() external {
        _setUnits(pool, ID, 1);
        vm.warp(START + 1 hours);
        _commit(eve, ID);
        vm.warp(START + 2 hours);
        _register(alice, ID);
        vm.prank(admin);
        vault.confirmAuthor(pool, ID, alice);
        vm.warp(START + 3 hours);
        _reveal(eve, ID);
        assertFalse(vault.canClaim(pool, ID), "another record");
    }

    /// @dev Once escrowed, always escrowed: a later unit change of the registered hash keeps the first exposure.
    function test_CanClaim_EscrowOutlivesUnitChanges() external {
        _setUnits(pool, ID, 1);
        vm.warp(START + 1 hours);
        _register(eve, ID);
        _setUnits(pool, ID, 0);
        _setUnits(pool, ID, 5);
        assertFalse(vault.canClaim(pool, ID));
        assertEq(vault.escrowOf(pool, ID).exposedAt, START);
    }
}
