// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

import { VaultBase, Errors, IRoyaltyVault } from "../VaultBase.t.sol";

/// @notice setProtocolFee, collectFees, withdrawDeferred, pause and unpause.
contract Protocol_Unit_Test is VaultBase {
    function test_RevertWhen_FeeByNonOwner() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        vault.setProtocolFee(100, eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_FeeTooHigh() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_FeeTooHigh.selector, 501, 500));
        vm.prank(owner);
        vault.setProtocolFee(501, feeRecipient);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ZeroFeeRecipient() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_ZeroFeeRecipient.selector);
        vm.prank(owner);
        vault.setProtocolFee(100, address(0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_SetProtocolFee() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.ProtocolFeeSet(500, feeRecipient);
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        assertEq(vault.config().feeBps, 500);
        assertEq(vault.config().feeRecipient, feeRecipient);
    }

    function test_RevertWhen_CollectByOther() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        _deposit(pool, 1_000e6);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotFeeRecipient.selector, eve, feeRecipient));
        vm.prank(eve);
        vault.collectFees(address(usdc), eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_CollectToZero() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        vm.expectRevert(Errors.RoyaltyVault_ZeroRecipient.selector);
        vm.prank(feeRecipient);
        vault.collectFees(address(usdc), address(0));
    }

    function test_RevertWhen_NoFees() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NoFees.selector, address(usdc)));
        vm.prank(feeRecipient);
        vault.collectFees(address(usdc), feeRecipient);
    }

    function test_CollectFees() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        _deposit(pool, 1_000e6);
        _deposit(ethPool, 1 ether);
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.FeesCollected(address(usdc), feeRecipient, bob, 50e6);
        vm.prank(feeRecipient);
        vault.collectFees(address(usdc), bob);
        assertEq(usdc.balanceOf(bob), 50e6);
        assertEq(vault.tokenTotals(address(usdc)).feesOwed, 0);
        assertEq(vault.tokenTotals(address(usdc)).feesCollected, 50e6);
        vm.prank(feeRecipient);
        vault.collectFees(address(0), bob);
        assertEq(bob.balance, 0.05 ether);
    }

    function test_RevertWhen_CollectEthToRefuser() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        _deposit(ethPool, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(Errors.Payouts_EthTransferFailed.selector, address(usdc), 0.05 ether));
        vm.prank(feeRecipient);
        vault.collectFees(address(0), address(usdc));
        assertEq(vault.tokenTotals(address(0)).feesOwed, 0.05 ether);
    }

    function test_RevertWhen_NoDeferred() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.Payouts_NoDeferred.selector, alice, address(0)));
        vm.prank(alice);
        vault.withdrawDeferred(address(0), alice);
    }

    function test_RevertWhen_WithdrawDeferredToZero() external {
        vm.expectRevert(Errors.RoyaltyVault_ZeroRecipient.selector);
        vm.prank(alice);
        vault.withdrawDeferred(address(0), address(0));
    }

    function test_RevertWhen_PauseByNonOwner() external {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, eve));
        vm.prank(eve);
        vault.pause();
        assertFalse(vault.config().paused);
    }

    function test_RevertWhen_PauseUnchanged() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PauseUnchanged.selector, false));
        vm.prank(owner);
        vault.unpause();
        vm.prank(owner);
        vault.pause();
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PauseUnchanged.selector, true));
        vm.prank(owner);
        vault.pause();
        assertTrue(vault.config().paused);
    }

    function test_PauseUnpause() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.Paused(owner);
        vm.prank(owner);
        vault.pause();
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.Unpaused(owner);
        vm.prank(owner);
        vault.unpause();
        _deposit(pool, 1e6);
    }

    function test_TwoStepOwnership() external {
        vm.prank(owner);
        vault.transferOwnership(bob);
        assertEq(vault.owner(), owner);
        vm.prank(bob);
        vault.acceptOwnership();
        assertEq(vault.owner(), bob);
    }
}
