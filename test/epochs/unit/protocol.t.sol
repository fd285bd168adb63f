// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs, IPayouts } from "../EpochsBase.t.sol";
import { BlocklistTokenMock } from "../../mocks/BlocklistTokenMock.sol";

/// @notice collectFees and withdrawDeferred.
contract Protocol_Unit_Test is EpochsBase {
    function test_CollectFees_ByTheVaultsFeeRecipient() external {
        vm.prank(owner);
        vault.setProtocolFee(200, feeRecipient);
        _fund(pool, 1_000e6);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.FeesCollected(address(usdc), feeRecipient, bob, 20e6);
        vm.prank(feeRecipient);
        epochs.collectFees(address(usdc), bob);
        assertEq(usdc.balanceOf(bob), 20e6);
        (, uint256 feesOwed) = epochs.tokenTotals(address(usdc));
        assertEq(feesOwed, 0);
    }

    function test_RevertWhen_NotFeeRecipient() external {
        vm.prank(owner);
        vault.setProtocolFee(200, feeRecipient);
        _fund(pool, 1_000e6);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotFeeRecipient.selector, eve, feeRecipient));
        vm.prank(eve);
        epochs.collectFees(address(usdc), eve);
    }

    function test_RevertWhen_NoFees() external {
        vm.prank(owner);
        vault.setProtocolFee(200, feeRecipient);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NoFees.selector, address(usdc)));
        vm.prank(feeRecipient);
        epochs.collectFees(address(usdc), feeRecipient);
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        vm.prank(feeRecipient);
        epochs.collectFees(address(usdc), address(0));
    }

    function test_RevertWhen_NoDeferred() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.Payouts_NoDeferred.selector, alice, address(usdc)));
        vm.prank(alice);
        epochs.withdrawDeferred(address(usdc), alice);
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        vm.prank(alice);
        epochs.withdrawDeferred(address(usdc), address(0));
    }

    function test_RevertWhen_DeferredWithdrawalFails() external {
        BlocklistTokenMock busd = new BlocklistTokenMock();
        busd.mint(admin, 1e12);
        vm.prank(admin);
        busd.approve(address(epochs), type(uint256).max);
        _register(alice, ID);
        _register(alice, ID2);
        uint256 busdPool = _createPool(address(busd), 0);
        vm.warp(block.timestamp + 1);
        _fund(busdPool, 100e6);
        uint32 epochId = _publish(busdPool, _two(_leaf(ID, 10e6, 1), _leaf(ID2, 20e6, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
        busd.setBlocklisted(alice, true);
        vm.prank(alice);
        epochs.claim(_claimOf(busdPool, epochId, 0), alice);
        assertEq(epochs.deferredOf(alice, address(busd)), 10e6);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.Payouts_TokenTransferFailed.selector, address(busd), alice, 10e6)
        );
        vm.prank(alice);
        epochs.withdrawDeferred(address(busd), alice);
        vm.expectEmit(address(epochs));
        emit IPayouts.DeferredWithdrawn(address(busd), alice, bob, 10e6);
        vm.prank(alice);
        epochs.withdrawDeferred(address(busd), bob);
        assertEq(busd.balanceOf(bob), 10e6);
        (uint256 deferredOwed, ) = epochs.tokenTotals(address(busd));
        assertEq(deferredOwed, 0);
    }
}
