// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors, IRoyaltyVault, Vault } from "../VaultBase.t.sol";

contract CreatePool_Unit_Test is VaultBase {
    function test_RevertWhen_ZeroAdmin() external {
        uint256 count = vault.poolCount();
        vm.expectRevert(Errors.RoyaltyVault_ZeroAdmin.selector);
        vault.createPool(address(usdc), address(0), DURATION, URI);
        assertEq(vault.poolCount(), count);
    }

    function test_RevertWhen_DurationTooShort() external {
        uint256 count = vault.poolCount();
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_InvalidDuration.selector, 3599, 1 hours, 10 * 365 days)
        );
        vault.createPool(address(usdc), admin, 3599, URI);
        assertEq(vault.poolCount(), count);
    }

    function test_RevertWhen_DurationTooLong() external {
        uint256 count = vault.poolCount();
        uint40 tooLong = uint40(10 * 365 days + 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_InvalidDuration.selector, tooLong, 1 hours, 10 * 365 days)
        );
        vault.createPool(address(usdc), admin, tooLong, URI);
        assertEq(vault.poolCount(), count);
    }

    function test_RevertWhen_TokenNotContract() external {
        uint256 count = vault.poolCount();
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_TokenNotContract.selector, eve));
        vault.createPool(eve, admin, DURATION, URI);
        assertEq(vault.poolCount(), count);
    }

    function test_CreatePool() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.PoolCreated(3, address(usdc), bob, alice, DURATION, URI);
        vm.prank(alice);
        uint256 poolId = vault.createPool(address(usdc), bob, DURATION, URI);
        assertEq(poolId, 3);
        assertEq(vault.poolCount(), 3);
        Vault.PoolState memory state = vault.getPool(poolId);
        assertEq(state.token, address(usdc));
        assertEq(state.admin, bob);
        assertEq(state.attributor, address(0));
        assertEq(state.duration, DURATION);
        assertEq(state.totalUnits, 0);
        assertEq(state.ratePerSecond, 0);
        assertEq(state.notYetStreamed, 0);
        assertEq(vault.poolsOfToken(address(usdc)).length, 2);
    }

    function test_RevertWhen_GetPoolUnknown() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vault.getPool(99);
    }
}
