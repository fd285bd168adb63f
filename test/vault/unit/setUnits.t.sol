// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { VaultBase, Errors, IRoyaltyVault, Vault, VaultLayout } from "../VaultBase.t.sol";

contract SetUnits_Unit_Test is VaultBase {
    function test_RevertWhen_EmptyBatch() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_EmptyBatch.selector);
        vm.prank(admin);
        vault.setUnits(pool, new bytes32[](0), new uint256[](0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_LengthMismatch() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_LengthMismatch.selector, 1, 2));
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(1, 2));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_BatchTooLarge() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_BatchTooLarge.selector, 513, 512));
        vm.prank(admin);
        vault.setUnits(pool, new bytes32[](513), new uint256[](513));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_Paused() external {
        vm.prank(owner);
        vault.pause();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_Paused.selector);
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(1));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_PoolNotFound() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(admin);
        vault.setUnits(99, _ids(ID), _nums(1));
    }

    function test_RevertWhen_NotUnitSetter() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotUnitSetter.selector, pool, eve));
        vm.prank(eve);
        vault.setUnits(pool, _ids(ID), _nums(1));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ZeroContribution() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_ZeroContribution.selector);
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID, bytes32(0)), _nums(1, 1));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_UnitsTooLarge() external {
        bytes32 before = _stateWord(pool, ID);
        uint256 tooMany = uint256(type(uint48).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_UnitsTooLarge.selector, ID, tooMany, type(uint48).max)
        );
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(tooMany));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ConsentRevoked() external {
        _register(alice, ID);
        _revokeConsent(alice, ID);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_ConsentRevoked.selector, ID));
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(1));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_TotalUnitsOverflow() external {
        // 2^40 positions at MAX_UNITS would be needed; write a near-full total straight into the pool's third slot.
        assertEq(_storedToken(pool).token(), address(usdc), "slot layout");
        uint256 nearFull = uint256(type(uint96).max) - 1;
        vm.store(
            address(vault),
            _poolSlot(pool, VaultLayout.POOL_TOKEN_SLOT),
            bytes32((nearFull << VaultLayout.TOKEN_TOTAL_UNITS_OFFSET) | uint256(uint160(address(usdc))))
        );
        assertEq(_storedToken(pool).totalUnits(), nearFull, "slot layout");
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_TotalUnitsOverflow.selector, pool, nearFull + 2));
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(2));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_SetUnits_UnregisteredHashEscrows() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.EscrowOpened(pool, ID, uint40(START));
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.UnitsSet(pool, ID, admin, 0, 3, 3, 0, 0, uint40(START), 0, 0);
        _setUnits(pool, ID, 3);
        (Vault.Position memory position, ) = vault.positionOf(pool, ID);
        assertTrue(position.escrowed, "escrowed");
        assertEq(vault.escrowOf(pool, ID).exposedAt, START, "exposed now");
        assertEq(vault.escrowOf(pool, ID).confirmedAt, 0, "nobody confirmed");
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(vault.owedScaled(pool, ID) + state.carriedRemainder, 1_000e6 * SCALE, "accrues while unregistered");
        assertEq(state.notYetStreamed, 0);
    }

    function test_SetUnits_KeepsWhatAccrued() external {
        _setUnits(pool, ID, 1);
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 2);
        uint256 before = vault.claimable(pool, ID);
        _setUnits(pool, ID, 0);
        assertEq(vault.claimable(pool, ID), before, "unchanged by the unit change");
        (Vault.Position memory position, uint256 accrued) = vault.positionOf(pool, ID);
        assertEq(position.units, 0);
        assertTrue(position.hasAccrued);
        assertEq(accrued, before);
        vm.warp(START + DURATION);
        assertEq(vault.claimable(pool, ID), before, "no more accrual");
        assertApproxEqAbs(vault.claimable(pool, ID2), 1_000e6 - before, 1);
    }

    function test_SetUnits_RegisteredHashIsNotEscrowed() external {
        _register(alice, ID);
        vm.recordLogs();
        _setUnits(pool, ID, 3);
        assertEq(_countLogs(vm.getRecordedLogs(), IRoyaltyVault.EscrowOpened.selector), 0, "no escrow");
        (Vault.Position memory position, ) = vault.positionOf(pool, ID);
        assertFalse(position.escrowed);
        assertEq(vault.escrowOf(pool, ID).exposedAt, 0);
    }

    function test_SetUnits_ZeroUnitsOpenNoEscrow() external {
        vm.recordLogs();
        _setUnits(pool, ID, 0);
        assertEq(_countLogs(vm.getRecordedLogs(), IRoyaltyVault.EscrowOpened.selector), 0, "no escrow");
        (Vault.Position memory position, ) = vault.positionOf(pool, ID);
        assertFalse(position.escrowed);
    }

    /// @dev The hash was public from its first exposure: later unit changes, while it is still unregistered or
    /// after a registration, never date the escrow later.
    function test_SetUnits_EscrowKeepsItsFirstExposure() external {
        _setUnits(pool, ID, 1);
        vm.warp(START + 1 days);
        vm.recordLogs();
        _setUnits(pool, ID, 0);
        _setUnits(pool, ID, 2);
        assertEq(_countLogs(vm.getRecordedLogs(), IRoyaltyVault.EscrowOpened.selector), 0, "opened once");
        _register(eve, ID);
        _setUnits(pool, ID, 4);
        (Vault.Position memory position, ) = vault.positionOf(pool, ID);
        assertTrue(position.escrowed);
        assertEq(vault.escrowOf(pool, ID).exposedAt, START);
    }

    /// @dev `UnitsSet` states who set the units and the position and checkpoint it leaves, as `positionOf`, the
    /// stored checkpoint and `getPool` read them right after.
    function test_SetUnits_EventStatesThePositionItLeaves() external {
        _setUnits(pool, ID, 3);
        _setUnits(pool, ID2, 4);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 3 + 11);
        vm.prank(admin);
        vault.setAttributor(pool, attributor);
        vm.recordLogs();
        vm.prank(attributor);
        vault.setUnits(pool, _ids(ID), _nums(5));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(attributor))), "caller");
        (
            uint256 previousUnits,
            uint256 units,
            uint256 totalUnits,
            uint256 accPerUnit,
            uint256 carriedRemainder,
            uint40 streamEnd,
            uint256 accrued,
            uint256 fraction
        ) = abi.decode(
                _lastLogData(logs, IRoyaltyVault.UnitsSet.selector),
                (uint256, uint256, uint256, uint256, uint256, uint40, uint256, uint256)
            );
        (Vault.Position memory position, uint256 storedAccrued) = vault.positionOf(pool, ID);
        assertEq(previousUnits, 3, "previousUnits");
        assertEq(units, position.units, "units");
        assertEq(totalUnits, vault.getPool(pool).totalUnits, "totalUnits");
        assertEq(accPerUnit, position.accPerUnitPaid, "the position's snapshot");
        assertEq(fraction, position.fraction, "fraction");
        assertEq(accrued, storedAccrued, "accrued");
        assertGt(accrued, 0, "what it earned under 3 units");
        assertTrue(position.hasAccrued);
        assertEq(vault.claimable(pool, ID), accrued, "all of it claimable");

        (uint256 storedAcc, uint256 storedCarry, , uint256 storedEnd) = _storedCheckpoint(pool);
        assertEq(accPerUnit, storedAcc, "accPerUnit stored");
        assertEq(carriedRemainder, storedCarry, "carriedRemainder stored");
        assertEq(streamEnd, storedEnd, "end stored");
        assertEq(streamEnd, vault.getPool(pool).streamEnd, "end now");
    }
}
