// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors, IRoyaltyVault } from "../VaultBase.t.sol";

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
}
