// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { VaultBase, Errors, IRoyaltyVault, Vault } from "../VaultBase.t.sol";
import { FeeOnTransferTokenMock } from "../../mocks/FeeOnTransferTokenMock.sol";
import { HugeSupplyTokenMock } from "../../mocks/HugeSupplyTokenMock.sol";

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

    /*//////////////////////////////////////////////////////////////////////////
                                A DEPOSIT NEVER SLOWS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev A dust deposit in the middle of a stream keeps its rate (plus its own share) and its end.
    function test_Deposit_DustKeepsTheRateAndTheEnd() external {
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 2);
        Vault.PoolState memory before = vault.getPool(pool);
        _deposit(pool, 1);
        Vault.PoolState memory state = vault.getPool(pool);
        assertGe(state.ratePerSecond, before.ratePerSecond, "the rate never goes down");
        assertEq(state.streamEnd, START + DURATION, "the end stays");
        vm.warp(START + DURATION);
        assertEq(vault.getPool(pool).notYetStreamed, 0);
        assertEq(vault.claimable(pool, ID), 1_000e6 + 1, "the dust streamed with the rest");
    }

    /// @dev Changed on purpose: a deposit smaller than what the current rate would stream over a whole duration
    /// keeps the rate and lengthens the stream by its own share, instead of spreading everything over a new duration.
    function test_Deposit_SmallDepositLengthensByItsShare() external {
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 2);
        uint256 rate = vault.getPool(pool).ratePerSecond;
        uint256 streaming = vault.getPool(pool).notYetStreamed + 100e6 * SCALE;
        _deposit(pool, 100e6);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.streamEnd, block.timestamp + streaming / rate, "lengthened by 100e6 / rate");
        assertLt(state.streamEnd, block.timestamp + DURATION, "not a whole new duration");
        assertGe(state.ratePerSecond, rate, "the rate never goes down");
        vm.warp(state.streamEnd);
        assertEq(vault.claimable(pool, ID), 1_100e6);
    }

    /// @dev A stream that ended has no rate to keep: the next deposit streams over the whole duration, however
    /// small next to the rate the pool had.
    function test_Deposit_AfterTheStreamEndedStreamsOverTheDuration() external {
        _setUnits(pool, ID, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION + 1 days);
        _deposit(pool, 1e6);
        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.ratePerSecond, (1e6 * SCALE) / DURATION);
        assertEq(state.streamEnd, block.timestamp + DURATION);
    }

    /// @dev The issue's scenario: a month's revenue in one deposit, then 240 deposits of one micro-USDC (anyone may
    /// deposit) over the month. Compared with a pool that got the big deposit alone: the stream never ends earlier,
    /// never releases less at any time, and everything is streamed when the month ends (the rule before this change
    /// left about a third unstreamed then, the end moving a duration past the last dust deposit).
    function test_Deposit_DustDepositsDoNotSlowTheStream() external {
        uint256 baseline = _createPool(address(usdc));
        _setUnits(pool, ID, 1);
        _setUnits(baseline, ID, 1);
        _deposit(pool, 1_000_000e6);
        _deposit(baseline, 1_000_000e6);
        uint256 rate = vault.getPool(pool).ratePerSecond;
        uint256 interval = DURATION / 241;
        for (uint256 k = 1; k <= 240; ++k) {
            vm.warp(START + k * interval);
            _deposit(pool, 1);
            Vault.PoolState memory state = vault.getPool(pool);
            assertGe(state.ratePerSecond, rate, "the rate never goes down");
            assertEq(state.streamEnd, START + DURATION, "the end never moves");
            rate = state.ratePerSecond;
            assertGe(vault.owedScaled(pool, ID), vault.owedScaled(baseline, ID), "never less released");
            vm.warp(block.timestamp + interval / 2);
            assertGe(vault.owedScaled(pool, ID), vault.owedScaled(baseline, ID), "never less released, between");
        }
        vm.warp(START + DURATION);
        assertEq(vault.getPool(pool).notYetStreamed, 0, "everything streamed by the original end");
        assertEq(vault.claimable(pool, ID), 1_000_000e6 + 240);
        assertEq(vault.claimable(baseline, ID), 1_000_000e6);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                  ACCUMULATOR BOUND
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev A pool of a token with a 2^256 - 1 supply, one unit, the longest duration (so the rate stays in range).
    function _hugePool() internal returns (HugeSupplyTokenMock token, uint256 hugePool) {
        vm.startPrank(admin);
        token = new HugeSupplyTokenMock();
        token.approve(address(vault), type(uint256).max);
        hugePool = vault.createPool(address(token), admin, uint40(vault.MAX_DURATION()), URI);
        vm.stopPrank();
        _register(alice, ID);
        _setUnits(hugePool, ID, 1);
    }

    /// @dev The room left under the bound: accumulator + carry + not yet streamed must fit a uint160, scaled.
    function _room(uint256 poolId) internal view returns (uint256) {
        Vault.PoolState memory state = vault.getPool(poolId);
        return (type(uint160).max - state.accPerUnit - state.carriedRemainder - state.notYetStreamed) / SCALE;
    }

    /// @dev Before this change the deposit was taken, and the accumulator passing 2^160 later reverted every
    /// checkpoint and claim of the pool. Now it is refused at the door, and what was accepted stays claimable.
    function test_RevertWhen_AccumulatorOverflow() external {
        (HugeSupplyTokenMock token, uint256 hugePool) = _hugePool();
        vm.prank(admin);
        vault.deposit(hugePool, 1e30);
        vm.warp(block.timestamp + 100 days);
        uint256 room = _room(hugePool);
        bytes32 before = _stateWord(hugePool, ID);
        uint256 balanceBefore = token.balanceOf(address(vault));
        vm.expectRevert(
            abi.encodeWithSelector(Errors.RoyaltyVault_AccumulatorOverflow.selector, hugePool, room + 1, room)
        );
        vm.prank(admin);
        vault.deposit(hugePool, room + 1);
        assertEq(_stateWord(hugePool, ID), before);
        assertEq(token.balanceOf(address(vault)), balanceBefore);

        vm.warp(block.timestamp + vault.MAX_DURATION());
        vm.prank(alice);
        assertEq(vault.claim(hugePool, ID, alice), 1e30, "what is owed is claimed");
    }

    /// @dev A pool filled to the bound still checkpoints and pays out everything; the next unit is refused.
    function test_Deposit_UpToTheAccumulatorBound() external {
        (HugeSupplyTokenMock token, uint256 hugePool) = _hugePool();
        uint256 room = _room(hugePool);
        vm.prank(admin);
        vault.deposit(hugePool, room);
        assertEq(_room(hugePool), 0, "full");
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_AccumulatorOverflow.selector, hugePool, 1, 0));
        vm.prank(admin);
        vault.deposit(hugePool, 1);

        vm.warp(block.timestamp + vault.MAX_DURATION() / 2);
        _setUnits(hugePool, ID2, 1);
        vm.warp(block.timestamp + vault.MAX_DURATION());
        uint256 owed = vault.claimable(hugePool, ID);
        vm.prank(alice);
        assertEq(vault.claim(hugePool, ID, alice), owed);
        assertEq(token.balanceOf(alice), owed);
        assertApproxEqAbs(owed + vault.claimable(hugePool, ID2), room, 1, "all of it claimable");
    }

    /*//////////////////////////////////////////////////////////////////////////
                                        EVENT
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev `RevenueDeposited` states the checkpoint the deposit stores (what an indexer keeps); `getPool` shows the
    /// same checkpoint advanced to now, which in the same block only spreads the carried remainder over the units.
    function test_Deposit_EventStatesThePoolItLeaves() external {
        vm.prank(owner);
        vault.setProtocolFee(100, feeRecipient);
        _setUnits(pool, ID, 3);
        _setUnits(pool, ID2, 4);
        _deposit(pool, 1_000e6);
        vm.warp(START + DURATION / 3 + 7);
        uint256 amount = 777e6 + 3;
        vm.recordLogs();
        _deposit(pool, amount);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (
            uint256 amountReceived,
            uint256 fee,
            uint256 ratePerSecond,
            uint40 streamEnd,
            uint256 accPerUnit,
            uint256 carriedRemainder
        ) = abi.decode(
                _lastLogData(logs, IRoyaltyVault.RevenueDeposited.selector),
                (uint256, uint256, uint256, uint40, uint256, uint256)
            );
        assertEq(amountReceived, amount, "amountReceived");
        assertEq(fee, (amount * 100) / 10_000, "fee");

        (uint256 storedAcc, uint256 storedCarry, uint256 storedRate, uint256 storedEnd) = _storedCheckpoint(pool);
        assertEq(accPerUnit, storedAcc, "accPerUnit stored");
        assertEq(carriedRemainder, storedCarry, "carriedRemainder stored");
        assertEq(ratePerSecond, storedRate, "rate stored");
        assertEq(streamEnd, storedEnd, "end stored");

        Vault.PoolState memory state = vault.getPool(pool);
        assertEq(state.ratePerSecond, ratePerSecond, "rate now");
        assertEq(state.streamEnd, streamEnd, "end now");
        assertEq(state.accPerUnit, accPerUnit + carriedRemainder / 7, "accumulator now");
        assertEq(state.carriedRemainder, carriedRemainder % 7, "carry now");
        assertEq(state.notYetStreamed, ratePerSecond * (streamEnd - block.timestamp), "not yet streamed");
    }
}
