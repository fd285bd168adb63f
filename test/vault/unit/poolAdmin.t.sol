// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors, IRoyaltyVault } from "../VaultBase.t.sol";

/// @notice transferPoolAdmin, acceptPoolAdmin and setAttributor.
contract PoolAdmin_Unit_Test is VaultBase {
    function test_RevertWhen_TransferByNonAdmin() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotPoolAdmin.selector, pool, eve, admin));
        vm.prank(eve);
        vault.transferPoolAdmin(pool, eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_TransferUnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(admin);
        vault.transferPoolAdmin(99, bob);
    }

    function test_RevertWhen_AcceptByOther() external {
        vm.prank(admin);
        vault.transferPoolAdmin(pool, bob);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotPendingPoolAdmin.selector, pool, eve, bob));
        vm.prank(eve);
        vault.acceptPoolAdmin(pool);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_AcceptWithoutTransfer() external {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_NotPendingPoolAdmin.selector, pool, bob, address(0))
        );
        vm.prank(bob);
        vault.acceptPoolAdmin(pool);
    }

    function test_TransferAndAccept() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.PoolAdminTransferStarted(pool, admin, bob);
        vm.prank(admin);
        vault.transferPoolAdmin(pool, bob);
        assertEq(vault.pendingAdminOf(pool), bob);
        assertEq(vault.getPool(pool).admin, admin);

        vm.expectEmit(address(vault));
        emit IRoyaltyVault.PoolAdminTransferred(pool, admin, bob);
        vm.prank(bob);
        vault.acceptPoolAdmin(pool);
        assertEq(vault.getPool(pool).admin, bob);
        assertEq(vault.pendingAdminOf(pool), address(0));

        // The old admin has no power left.
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotUnitSetter.selector, pool, admin));
        vm.prank(admin);
        vault.setUnits(pool, _ids(ID), _nums(1));
    }

    function test_RevertWhen_SetAttributorByNonAdmin() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotPoolAdmin.selector, pool, eve, admin));
        vm.prank(eve);
        vault.setAttributor(pool, eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_SetAttributor() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.AttributorSet(pool, attributor);
        vm.prank(admin);
        vault.setAttributor(pool, attributor);
        assertEq(vault.getPool(pool).attributor, attributor);

        vm.prank(attributor);
        vault.setUnits(pool, _ids(ID), _nums(5));
        assertEq(vault.getPool(pool).totalUnits, 5);
    }
}
