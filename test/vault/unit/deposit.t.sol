// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors, IRoyaltyVault, Vault } from "../VaultBase.t.sol";
import { FeeOnTransferTokenMock } from "../../mocks/FeeOnTransferTokenMock.sol";

contract Deposit_Unit_Test is VaultBase {
    function test_RevertWhen_Paused() external {
        vm.prank(owner);
        vault.pause();
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_Paused.selector);
        vm.prank(admin);
        vault.deposit(pool, 1e6);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_PoolNotFound() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(admin);
        vault.deposit(99, 1e6);
    }

    function test_RevertWhen_ZeroAmount() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_ZeroAmount.selector, pool));
        vm.prank(admin);
        vault.deposit(pool, 0);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_EthValueMismatch() external {
        bytes32 before = _stateWord(ethPool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_EthValueMismatch.selector, ethPool, 1, 2));
        vm.prank(admin);
        vault.deposit{ value: 1 }(ethPool, 2);
        assertEq(_stateWord(ethPool, ID), before);
    }

    function test_RevertWhen_EthSentToTokenPool() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_EthValueMismatch.selector, pool, 1, 0));
        vm.prank(admin);
        vault.deposit{ value: 1 }(pool, 2);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_NothingReceived() external {
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(10_000);
        uint256 fotPool = _createPool(address(fot));
        fot.mint(admin, 1e18);
        vm.startPrank(admin);
        fot.approve(address(vault), type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NothingReceived.selector, fotPool, 1e6));
        vault.deposit(fotPool, 1e6);
        vm.stopPrank();
        assertEq(vault.getPool(fotPool).notYetStreamed, 0);
    }

    function test_Deposit_StreamsOverDuration() external {
        _setUnits(pool, ID, 1);
        uint256 amount = 3_000e6;
        uint256 rate = (amount * SCALE) / DURATION;
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.RevenueDeposited(
            pool,
            admin,
            amount,
            0,
            rate,
            uint40(START + DURATION),
            0,
            (amount * SCALE) % DURATION
        );
        _deposit(pool, amount);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.ratePerSecond, rate);
        assertEq(state.streamEnd, START + DURATION);
        assertEq(
            vault.owedScaled(pool, ID) + state.notYetStreamed + state.carriedRemainder,
            amount * SCALE,
            "all of it accounted for"
        );
        assertLt(vault.owedScaled(pool, ID), DURATION, "only the rate's remainder is spread at once");

        vm.warp(START + DURATION / 2);
        assertApproxEqAbs(vault.claimable(pool, ID), amount / 2, 1);
        vm.warp(START + DURATION);
        assertEq(vault.claimable(pool, ID), amount);
    }

    function test_Deposit_RestreamsWhatHasNotStreamed() external {
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 2);
        _deposit(pool, 1_000e6);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.streamEnd, START + DURATION / 2 + DURATION);
        // Half of the first deposit streamed; the other half and the second stream together.
        assertApproxEqAbs(state.notYetStreamed / SCALE, 1_500e6, 1);
        vm.warp(START + DURATION / 2 + DURATION);
        assertEq(vault.claimable(pool, ID), 2_000e6);
    }

    /// @dev Changed on purpose: the event states the rate and the end it leaves, and they follow the rule that never
    /// slows a stream: what has not streamed plus what arrived, over min(duration, that / the current rate).
    function test_Deposit_RateAndEndFollowFromTheEvent() external {
        _setUnits(pool, ID, 3);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 3);
        Vault.PoolState memory before = vault.getPool(pool);
        uint256 streaming = before.notYetStreamed + 777e6 * SCALE;
        uint256 span = streaming / before.ratePerSecond < DURATION ? streaming / before.ratePerSecond : DURATION;
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.RevenueDeposited(
            pool,
            admin,
            777e6,
            0,
            streaming / span,
            uint40(block.timestamp + span),
            before.accPerUnit,
            before.carriedRemainder + (streaming % span)
        );
        _deposit(pool, 777e6);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(span, DURATION, "a large deposit streams over the whole duration");
        assertEq(state.ratePerSecond, streaming / span, "rate");
        assertEq(state.streamEnd, block.timestamp + span, "end");
        assertEq(state.notYetStreamed, (streaming / span) * span, "the rate's remainder is carried");
    }

    function test_Deposit_StreamWaitsWithoutUnits() external {
        _deposit(pool, 1_000e6);
        vm.warp(START + 10 days);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.streamEnd, START + 10 days + DURATION, "the stream waits");
        assertEq(state.notYetStreamed + state.carriedRemainder, 1_000e6 * SCALE, "nothing released");
        _setUnits(pool, ID, 1);
        vm.warp(START + 10 days + DURATION);
        assertEq(vault.claimable(pool, ID), 1_000e6);
    }

    function test_Deposit_MeasuresFeeOnTransfer() external {
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(100); // 1%
        uint256 fotPool = _createPool(address(fot));
        fot.mint(admin, 1e18);
        vm.startPrank(admin);
        fot.approve(address(vault), type(uint256).max);
        uint256 received = vault.deposit(fotPool, 1e6);
        vm.stopPrank();
        assertEq(received, 990_000);
        assertEq(fot.balanceOf(address(vault)), 990_000);
        Vault.PoolState memory state = vault.getPool(fotPool);
        assertEq(state.notYetStreamed + state.carriedRemainder, 990_000 * SCALE);
    }

    function test_Deposit_TakesProtocolFee() external {
        vm.prank(owner);
        vault.setProtocolFee(500, feeRecipient);
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
        assertEq(vault.tokenTotals(address(usdc)).feesOwed, 50e6);
        vm.warp(START + DURATION);
        assertEq(vault.claimable(pool, ID), 950e6);
    }

    function test_Deposit_Eth() external {
        _setUnits(ethPool, ID, 1);
        _deposit(ethPool, 1 ether);
        assertEq(address(vault).balance, 1 ether);
        vm.warp(START + DURATION);
        assertEq(vault.claimable(ethPool, ID), 1 ether);
    }

    function test_Deposit_TinyAmountManyUnits() external {
        // One micro-unit of a 6-decimal token over ten million units: it waits in the carried remainder, never lost.
        _setUnits(pool, ID, 10_000_000);
        _deposit(pool, 1);
        vm.warp(START + DURATION);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(vault.owedScaled(pool, ID) + state.carriedRemainder + state.notYetStreamed, SCALE);
    }
}
