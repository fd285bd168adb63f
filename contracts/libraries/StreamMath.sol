// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import { Vault } from "../types/VaultTypes.sol";

/// @title StreamMath
/// @notice The pure arithmetic of a pool's linear stream and per-unit accumulator. Every amount is scaled: token
/// units multiplied by 1e9.
/// @dev The accrual from a checkpoint to time `t` is `accPerUnit + (ratePerSecond * elapsed + carry) / totalUnits`
/// with the remainder kept as the new `carry`. Division with the remainder carried forward is exact, so checkpointing
/// at any intermediate time gives the same `accPerUnit` at `t`: the accrual is path-independent. That is what lets a
/// claim compute the accumulator in memory without writing the pool, and still never run ahead of any later
/// checkpoint.
library StreamMath {
    /// @notice Moves a pool's checkpoint to `now_`.
    /// @dev With units, releases `ratePerSecond` per second until `streamEnd` and spreads it over `totalUnits`. Without
    /// units the stream waits: `streamEnd` moves later by the time that passed, so nothing is released to nobody.
    /// @param acc The checkpoint's accumulator.
    /// @param stream The checkpoint's stream.
    /// @param totalUnits The pool's units, unchanged since the checkpoint.
    /// @param now_ The current time in Unix seconds, at or after `stream.lastUpdate`.
    /// @return The accumulator and the stream as of `now_`.
    function checkpoint(
        Vault.Accumulator memory acc,
        Vault.Stream memory stream,
        uint256 totalUnits,
        uint256 now_
    ) internal pure returns (Vault.Accumulator memory, Vault.Stream memory) {
        (uint256 accPerUnit, uint256 carry, uint256 streamEnd) = advance(
            acc.accPerUnit,
            acc.carry,
            stream.ratePerSecond,
            stream.lastUpdate,
            stream.streamEnd,
            totalUnits,
            now_
        );
        // Cannot truncate: {advance} returns values that fit the fields (see there).
        acc.accPerUnit = uint160(accPerUnit);
        acc.carry = uint96(carry);
        stream.streamEnd = uint40(streamEnd);
        stream.lastUpdate = SafeCast.toUint40(now_);
        return (acc, stream);
    }

    /// @notice {checkpoint} on the fields themselves: the accumulator, the carried remainder and the stream's end at
    /// `now_` (the new `lastUpdate` is `now_`).
    /// @dev Takes each field at its stored width (`accPerUnit` a uint160, `carry` and `totalUnits` uint96s,
    /// `ratePerSecond` a uint136, `lastUpdate` and `streamEnd` uint40s) and `now_` at or after `lastUpdate`: the
    /// unchecked arithmetic below relies on it. The returned `accPerUnit` fits a uint160, `carry` a uint96 and
    /// `streamEnd` a uint40: each is checked or bounded below.
    function advance(
        uint256 accPerUnit,
        uint256 carry,
        uint256 ratePerSecond,
        uint256 lastUpdate,
        uint256 streamEnd,
        uint256 totalUnits,
        uint256 now_
    ) internal pure returns (uint256, uint256, uint256) {
        // No early return when no time passed: a carry that reached `totalUnits` (the units just grew) is spread now,
        // exactly as {accPerUnitAt} computes it, so a stored checkpoint and a claim's in-memory one always agree.
        if (totalUnits == 0) {
            // The stream keeps its remaining length: it stays at most MAX_DURATION past a real timestamp.
            if (streamEnd > lastUpdate) streamEnd = SafeCast.toUint40(streamEnd + (now_ - lastUpdate));
            return (accPerUnit, carry, streamEnd);
        }
        // Cannot overflow: the rate is below 2^136 and the time elapsed below 2^40, so `spread` (with a carry below
        // 2^96) is below 2^177 and `accPerUnit + spread / totalUnits` below 2^178. Cannot divide by zero: the pool
        // has units. The new carry is below `totalUnits` (a uint96). `accPerUnit` grows by the scaled amount per
        // unit the token ever streamed through the pool; the checked cast reverts (for that pool only) rather than
        // wrap, which no real token's supply can reach.
        uint256 spread = carry;
        unchecked {
            uint256 end = now_ < streamEnd ? now_ : streamEnd;
            if (end > lastUpdate) spread += ratePerSecond * (end - lastUpdate);
            uint256 quotient;
            uint256 remainder;
            assembly ("memory-safe") {
                quotient := div(spread, totalUnits)
                remainder := mod(spread, totalUnits)
            }
            return (SafeCast.toUint160(accPerUnit + quotient), remainder, streamEnd);
        }
    }

    /// @notice The pool's accumulator at `now_`, as {checkpoint} would store it, from the checkpoint's fields alone.
    /// @dev The lean form of {advance} that claims use: they never write the pool. Takes each field at its stored
    /// width, as {advance} does.
    /// @param accPerUnit The checkpoint's accumulator, scaled per unit.
    /// @param carry The checkpoint's carried remainder, scaled.
    /// @param ratePerSecond The stream's rate, scaled per second.
    /// @param lastUpdate The checkpoint's time, in Unix seconds.
    /// @param streamEnd The stream's end, in Unix seconds.
    /// @param totalUnits The pool's units.
    /// @param now_ The current time in Unix seconds, at or after `lastUpdate`.
    /// @return The accumulator at `now_`, scaled per unit; fits a uint160.
    function accPerUnitAt(
        uint256 accPerUnit,
        uint256 carry,
        uint256 ratePerSecond,
        uint256 lastUpdate,
        uint256 streamEnd,
        uint256 totalUnits,
        uint256 now_
    ) internal pure returns (uint256) {
        if (totalUnits == 0) return accPerUnit;
        // Cannot overflow, cannot divide by zero: as in {advance}. The cast is checked like there, so a claim's
        // snapshot always fits the position's uint160.
        uint256 spread = carry;
        unchecked {
            uint256 end = now_ < streamEnd ? now_ : streamEnd;
            if (end > lastUpdate) spread += ratePerSecond * (end - lastUpdate);
            uint256 quotient;
            assembly ("memory-safe") {
                quotient := div(spread, totalUnits)
            }
            return SafeCast.toUint160(accPerUnit + quotient);
        }
    }

    /// @notice How a deposit streams `streaming` (what has not streamed yet plus what arrived, scaled) without slowing
    /// the current stream: over the whole `duration`, or, when that would lower the rate, at the current rate over
    /// the shorter time that releases it all. The rate never goes down and the end never comes earlier: what has not
    /// streamed yet takes `notYetStreamed / previousRate` seconds at the current rate, at most the new span.
    /// @param previousRate The current rate, scaled per second; zero when the stream has ended.
    /// @param streaming The scaled amount to stream, at least the current rate's time left times the current rate.
    /// @param duration The pool's duration in seconds, non-zero.
    /// @return rate The new rate, scaled per second.
    /// @return span Seconds from now to the new end.
    /// @return remainder The scaled amount the division leaves, below `span`: it joins the carried remainder.
    function restream(
        uint256 previousRate,
        uint256 streaming,
        uint256 duration
    ) internal pure returns (uint256 rate, uint256 span, uint256 remainder) {
        span = duration;
        if (previousRate != 0) {
            uint256 atPreviousRate = streaming / previousRate;
            if (atPreviousRate < span) span = atPreviousRate;
        }
        // Cannot divide by zero: `span` is the duration, or at least the current stream's time left (a second or
        // more, as the stream had not ended).
        rate = streaming / span;
        remainder = streaming % span;
    }

    /// @notice The scaled amount a stream has not released yet, given a checkpoint at or after its last update.
    /// @param stream A stream checkpointed to the time of interest.
    /// @return Scaled token units still to stream.
    function notYetStreamed(Vault.Stream memory stream) internal pure returns (uint256) {
        return
            stream.streamEnd > stream.lastUpdate
                ? uint256(stream.ratePerSecond) * (stream.streamEnd - stream.lastUpdate)
                : 0;
    }

    /// @notice What a position has earned since it was last settled, plus its carried fraction, scaled.
    /// @param position The position.
    /// @param accPerUnit The pool's accumulator now; never below the position's snapshot.
    /// @return Scaled token units owed to the position, excluding whole units parked in its accrued slot.
    function owedScaled(Vault.Position memory position, uint256 accPerUnit) internal pure returns (uint256) {
        return uint256(position.units) * (accPerUnit - position.accPerUnitPaid) + position.fraction;
    }
}
