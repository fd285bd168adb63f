// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

import { VaultBase, Errors } from "../VaultBase.t.sol";

contract RenounceOwnership_Unit_Test is VaultBase {
    function test_RevertWhen_CallerNotOwner() external {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        vault.renounceOwnership();
        assertEq(vault.owner(), owner);
    }

    /// @dev A paused vault without an owner could never take deposits again.
    function test_RevertWhen_Paused() external {
        vm.prank(owner);
        vault.pause();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_RenounceWhilePaused.selector);
        vm.prank(owner);
        vault.renounceOwnership();
        assertEq(vault.owner(), owner);
        assertEq(_stateWord(pool, ID), before);
        vm.prank(owner);
        vault.unpause();
        _deposit(pool, 1e6);
    }

    /// @dev Renounced while running: the fee stays as it is, nobody can pause, deposits go on.
    function test_RenounceOwnership() external {
        vm.prank(owner);
        vault.renounceOwnership();
        assertEq(vault.owner(), address(0));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, owner));
        vm.prank(owner);
        vault.pause();
        _deposit(pool, 1e6);
    }
}
