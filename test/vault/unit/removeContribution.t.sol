// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { VaultBase, Errors, IRoyaltyVault, Vault } from "../VaultBase.t.sol";

contract RemoveContribution_Unit_Test is VaultBase {
    function setUp() public override {
        super.setUp();
        _register(alice, ID);
        _setUnits(pool, ID, 1);
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + 10 days);
    }

    function test_RevertWhen_PoolNotFound() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vault.removeContribution(99, ID);
    }

    function test_RevertWhen_ConsentGiven() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_ConsentNotRevoked.selector, ID));
        vm.prank(eve);
        vault.removeContribution(pool, ID);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_Unregistered() external {
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_ConsentNotRevoked.selector, ID2));
        vm.prank(eve);
        vault.removeContribution(pool, ID2);
        assertEq(_stateWord(pool, ID2), before);
    }

    function test_RevertWhen_NotInPool() external {
        _register(alice, ID3);
        _revokeConsent(alice, ID3);
        bytes32 before = _stateWord(pool, ID3);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotInPool.selector, pool, ID3));
        vault.removeContribution(pool, ID3);
        assertEq(_stateWord(pool, ID3), before);
    }

    function test_RemoveContribution_StopsAccrualKeepsAccrued() external {
        _revokeConsent(alice, ID);
        uint256 accrued = vault.claimable(pool, ID);
        assertGt(accrued, 0);
        vm.prank(eve);
        vault.removeContribution(pool, ID);
        assertEq(vault.getPool(pool).totalUnits, 1);
        vm.warp(START + DURATION);
        assertEq(vault.claimable(pool, ID), accrued, "stopped accruing");
        vm.prank(alice);
        assertEq(vault.claim(pool, ID, alice), accrued, "what accrued stays claimable");
    }

    function test_RemoveContribution_WorksWhilePaused() external {
        _revokeConsent(alice, ID);
        vm.prank(owner);
        vault.pause();
        vault.removeContribution(pool, ID);
        assertEq(vault.getPool(pool).totalUnits, 1);
    }

    /// @dev `ContributionRemoved` states the position and checkpoint it leaves, as `positionOf`, the stored checkpoint
    /// and `getPool` read them right after.
    function test_RemoveContribution_EventStatesThePositionItLeaves() external {
        _revokeConsent(alice, ID);
        vm.recordLogs();
        vm.prank(eve);
        vault.removeContribution(pool, ID);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(eve))), "caller");
        (
            uint256 previousUnits,
            uint256 totalUnits,
            uint256 accPerUnit,
            uint256 carriedRemainder,
            uint40 streamEnd,
            uint256 accrued,
            uint256 fraction
        ) = abi.decode(
                _lastLogData(logs, IRoyaltyVault.ContributionRemoved.selector),
                (uint256, uint256, uint256, uint256, uint40, uint256, uint256)
            );
        (Vault.Position memory position, uint256 storedAccrued) = vault.positionOf(pool, ID);
        assertEq(previousUnits, 1, "previousUnits");
        assertEq(position.units, 0, "units");
        assertEq(totalUnits, vault.getPool(pool).totalUnits, "totalUnits");
        assertEq(accPerUnit, position.accPerUnitPaid, "the position's snapshot");
        assertEq(fraction, position.fraction, "fraction");
        assertEq(accrued, storedAccrued, "accrued");
        assertGt(accrued, 0);
        assertEq(vault.owedScaled(pool, ID), accrued * SCALE + fraction, "what it keeps");

        (uint256 storedAcc, uint256 storedCarry, , uint256 storedEnd) = _storedCheckpoint(pool);
        assertEq(accPerUnit, storedAcc, "accPerUnit stored");
        assertEq(carriedRemainder, storedCarry, "carriedRemainder stored");
        assertEq(streamEnd, storedEnd, "end stored");
        assertEq(streamEnd, vault.getPool(pool).streamEnd, "end now");
    }
}
