// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs } from "../EpochsBase.t.sol";
import { FeeOnTransferTokenMock } from "../../mocks/FeeOnTransferTokenMock.sol";
import { HugeSupplyTokenMock } from "../../mocks/HugeSupplyTokenMock.sol";

contract Fund_Unit_Test is EpochsBase {
    function test_Fund_CreditsWhatArrived() external {
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochPoolFunded(pool, admin, 1_000e6, 0, 1_000e6);
        vm.prank(admin);
        assertEq(epochs.fund(pool, 1_000e6), 1_000e6);
        assertEq(epochs.getPool(pool).funded, 1_000e6);
        assertEq(usdc.balanceOf(address(epochs)), 1_000e6);
    }

    function test_Fund_FeeOnTransferToken() external {
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(100);
        fot.mint(admin, 1_000e18);
        vm.prank(admin);
        fot.approve(address(epochs), type(uint256).max);
        uint256 fotPool = _createPool(address(fot), 0);
        vm.prank(admin);
        assertEq(epochs.fund(fotPool, 100e18), 99e18);
        assertEq(epochs.getPool(fotPool).funded, 99e18);
        assertEq(fot.balanceOf(address(epochs)), 99e18);
    }

    function test_Fund_TakesTheVaultsProtocolFee() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochPoolFunded(pool, admin, 1_000e6, 50e6, 950e6);
        _fund(pool, 1_000e6);
        (, uint256 feesOwed) = epochs.tokenTotals(address(usdc));
        assertEq(feesOwed, 50e6);
        assertEq(epochs.getPool(pool).funded, 950e6);
    }

    function test_Fund_Eth() external {
        _fund(ethPool, 2 ether);
        assertEq(epochs.getPool(ethPool).funded, 2 ether);
        assertEq(address(epochs).balance, 2 ether);
    }

    function test_RevertWhen_UnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        vm.prank(admin);
        epochs.fund(99, 1);
    }

    function test_RevertWhen_ZeroAmount() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroAmount.selector, pool));
        vm.prank(admin);
        epochs.fund(pool, 0);
    }

    function test_RevertWhen_Paused() external {
        vm.prank(owner);
        vault.pause();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.AttributionEpochs_Paused.selector);
        vm.prank(admin);
        epochs.fund(pool, 1);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_EthValueMismatch() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_EthValueMismatch.selector, ethPool, 1, 2));
        vm.prank(admin);
        epochs.fund{ value: 1 }(ethPool, 2);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_EthValueMismatch.selector, pool, 1, 0));
        vm.prank(admin);
        epochs.fund{ value: 1 }(pool, 1);
    }

    function test_RevertWhen_NothingReceived() external {
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(10_000);
        fot.mint(admin, 1e18);
        vm.prank(admin);
        fot.approve(address(epochs), type(uint256).max);
        uint256 fotPool = _createPool(address(fot), 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NothingReceived.selector, fotPool, 1e18));
        vm.prank(admin);
        epochs.fund(fotPool, 1e18);
    }

    function test_RevertWhen_FundingOverflow() external {
        HugeSupplyTokenMock huge = new HugeSupplyTokenMock();
        huge.approve(address(epochs), type(uint256).max);
        uint256 hugePool = _createPool(address(huge), 0);
        epochs.fund(hugePool, type(uint128).max);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_FundingOverflow.selector,
                hugePool,
                uint256(type(uint128).max) + 1
            )
        );
        epochs.fund(hugePool, 1);
    }

    function test_RevertWhen_PoolClosed() external {
        vm.warp(block.timestamp + RECLAIM_DELAY);
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, admin);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolClosed.selector, pool));
        vm.prank(admin);
        epochs.fund(pool, 1);
    }
}
