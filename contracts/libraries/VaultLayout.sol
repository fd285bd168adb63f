// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { Vault } from "../types/VaultTypes.sol";

/// @notice {Vault.Config}'s slot as one word: `feeRecipient`, `feeBps`, `paused`.
type ConfigWord is uint256;

/// @notice A pool's first slot, {Vault.Accumulator}, as one word: `accPerUnit`, `carry`.
type AccumulatorWord is uint256;

/// @notice A pool's second slot, {Vault.Stream}, as one word: `ratePerSecond`, `lastUpdate`, `streamEnd`, `duration`.
type StreamWord is uint256;

/// @notice A pool's third slot as one word: `token`, `totalUnits`.
type TokenWord is uint256;

/// @notice {Vault.Position}'s slot as one word: `units`, `accPerUnitPaid`, `fraction`, `hasAccrued`, `escrowed`.
type PositionWord is uint256;

using VaultLayout for ConfigWord global;
using VaultLayout for AccumulatorWord global;
using VaultLayout for StreamWord global;
using VaultLayout for TokenWord global;
using VaultLayout for PositionWord global;

/// @title VaultLayout
/// @notice The vault's packed storage in one place: where each field of a packed slot lives, the functions that read a
/// slot whole and take its fields apart, and the one function that writes pool slots whole.
/// @dev Each offset is the layout Solidity gives the struct (members packed from the lowest byte up, in declaration
/// order), so code that names the fields (`pool.stream.duration`) and code that reads the word see the same storage;
/// `test/vault/unit/VaultLayout.t.sol` checks every field against the compiler's (a field added above a top field
/// that is read without a mask fails it too). The vault uses whole words only where the bench shows a gain worth it
/// (docs/vault.md, "Storage layout"): a deposit reads its four slots and writes two as words (491 gas less than
/// naming the fields), and a claim reads each position as one word (215 gas less per contribution claimed).
/// Everywhere else it names the fields and lets Solidity pack them.
library VaultLayout {
    /*//////////////////////////////////////////////////////////////////////////
                                      SLOTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev {Vault.Pool}'s slots, counted from the pool's first: accumulator, stream, then `token` with `totalUnits`.
    uint256 internal constant POOL_ACCUMULATOR_SLOT = 0;
    uint256 internal constant POOL_STREAM_SLOT = 1;
    uint256 internal constant POOL_TOKEN_SLOT = 2;

    /*//////////////////////////////////////////////////////////////////////////
                                   BIT OFFSETS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev {Vault.Config}: `feeRecipient` (20 bytes) at 0, `feeBps` (2), `paused` (1, the highest byte used).
    uint256 internal constant CONFIG_FEE_BPS_OFFSET = 160;
    uint256 internal constant CONFIG_PAUSED_OFFSET = 176;

    /// @dev {Vault.Accumulator}: `accPerUnit` (20 bytes) at 0, `carry` (12, up to the top).
    uint256 internal constant ACCUMULATOR_CARRY_OFFSET = 160;

    /// @dev {Vault.Stream}: `ratePerSecond` (17 bytes) at 0, `lastUpdate` (5), `streamEnd` (5), `duration` (5, the
    /// highest bytes used).
    uint256 internal constant STREAM_LAST_UPDATE_OFFSET = 136;
    uint256 internal constant STREAM_END_OFFSET = 176;
    uint256 internal constant STREAM_DURATION_OFFSET = 216;

    /// @dev {Vault.Pool}'s third slot: `token` (20 bytes) at 0, `totalUnits` (12, up to the top).
    uint256 internal constant TOKEN_TOTAL_UNITS_OFFSET = 160;

    /// @dev {Vault.Position}: `units` (6 bytes) at 0, `accPerUnitPaid` (20), `fraction` (4), `hasAccrued` (1),
    /// `escrowed` (1, the top byte).
    uint256 internal constant POSITION_ACC_PAID_OFFSET = 48;
    uint256 internal constant POSITION_FRACTION_OFFSET = 208;
    uint256 internal constant POSITION_ACCRUED_FLAG_OFFSET = 240;
    uint256 internal constant POSITION_ESCROW_FLAG_OFFSET = 248;

    /*//////////////////////////////////////////////////////////////////////////
                                      READS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The configuration's slot, with one SLOAD.
    function load(Vault.Config storage config) internal view returns (ConfigWord word) {
        assembly ("memory-safe") {
            word := sload(config.slot)
        }
    }

    /// @notice A pool's accumulator slot, with one SLOAD.
    function loadAccumulator(Vault.Pool storage pool) internal view returns (AccumulatorWord word) {
        assembly ("memory-safe") {
            word := sload(add(pool.slot, POOL_ACCUMULATOR_SLOT))
        }
    }

    /// @notice A pool's stream slot, with one SLOAD.
    function loadStream(Vault.Pool storage pool) internal view returns (StreamWord word) {
        assembly ("memory-safe") {
            word := sload(add(pool.slot, POOL_STREAM_SLOT))
        }
    }

    /// @notice A pool's token and units slot, with one SLOAD.
    function loadToken(Vault.Pool storage pool) internal view returns (TokenWord word) {
        assembly ("memory-safe") {
            word := sload(add(pool.slot, POOL_TOKEN_SLOT))
        }
    }

    /// @notice A position's slot, with one SLOAD.
    function load(Vault.Position storage position) internal view returns (PositionWord word) {
        assembly ("memory-safe") {
            word := sload(position.slot)
        }
    }

    /*//////////////////////////////////////////////////////////////////////////
                                     FIELDS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice {Vault.Config.feeBps}.
    function feeBps(ConfigWord word) internal pure returns (uint256) {
        return uint16(ConfigWord.unwrap(word) >> CONFIG_FEE_BPS_OFFSET);
    }

    /// @notice {Vault.Config.paused}. No mask: the bytes above it are always zero.
    function paused(ConfigWord word) internal pure returns (bool) {
        return ConfigWord.unwrap(word) >> CONFIG_PAUSED_OFFSET != 0;
    }

    /// @notice {Vault.Accumulator.accPerUnit}.
    function accPerUnit(AccumulatorWord word) internal pure returns (uint256) {
        return uint160(AccumulatorWord.unwrap(word));
    }

    /// @notice {Vault.Accumulator.carry}.
    function carry(AccumulatorWord word) internal pure returns (uint256) {
        return AccumulatorWord.unwrap(word) >> ACCUMULATOR_CARRY_OFFSET;
    }

    /// @notice {Vault.Stream.ratePerSecond}.
    function ratePerSecond(StreamWord word) internal pure returns (uint256) {
        return uint136(StreamWord.unwrap(word));
    }

    /// @notice {Vault.Stream.lastUpdate}.
    function lastUpdate(StreamWord word) internal pure returns (uint256) {
        return uint40(StreamWord.unwrap(word) >> STREAM_LAST_UPDATE_OFFSET);
    }

    /// @notice {Vault.Stream.streamEnd}.
    function streamEnd(StreamWord word) internal pure returns (uint256) {
        return uint40(StreamWord.unwrap(word) >> STREAM_END_OFFSET);
    }

    /// @notice {Vault.Stream.duration}; zero for a pool that does not exist. No mask: it is the highest field.
    function duration(StreamWord word) internal pure returns (uint256) {
        return StreamWord.unwrap(word) >> STREAM_DURATION_OFFSET;
    }

    /// @notice {Vault.Pool.token}.
    function token(TokenWord word) internal pure returns (address) {
        return address(uint160(TokenWord.unwrap(word)));
    }

    /// @notice {Vault.Pool.totalUnits}.
    function totalUnits(TokenWord word) internal pure returns (uint256) {
        return TokenWord.unwrap(word) >> TOKEN_TOTAL_UNITS_OFFSET;
    }

    /// @notice {Vault.Position.units}.
    function units(PositionWord word) internal pure returns (uint256) {
        return uint48(PositionWord.unwrap(word));
    }

    /// @notice {Vault.Position.accPerUnitPaid}.
    function accPerUnitPaid(PositionWord word) internal pure returns (uint256) {
        return uint160(PositionWord.unwrap(word) >> POSITION_ACC_PAID_OFFSET);
    }

    /// @notice {Vault.Position.fraction}.
    function fraction(PositionWord word) internal pure returns (uint256) {
        return uint32(PositionWord.unwrap(word) >> POSITION_FRACTION_OFFSET);
    }

    /// @notice {Vault.Position.hasAccrued}.
    function hasAccrued(PositionWord word) internal pure returns (bool) {
        return uint8(PositionWord.unwrap(word) >> POSITION_ACCRUED_FLAG_OFFSET) != 0;
    }

    /// @notice {Vault.Position.escrowed}. No mask: it is the top byte.
    function escrowed(PositionWord word) internal pure returns (bool) {
        return PositionWord.unwrap(word) >> POSITION_ESCROW_FLAG_OFFSET != 0;
    }

    /*//////////////////////////////////////////////////////////////////////////
                                     WRITES
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Writes a pool's accumulator and stream with one SSTORE each (assigning the fields one by one reads and
    /// writes each slot once per field).
    /// @dev Takes each value at most as wide as its field (`accPerUnit_` below 2^160, `carry_` below 2^96,
    /// `ratePerSecond_` below 2^136, the times and the duration below 2^40): no field spills into the next.
    function storeCheckpoint(
        Vault.Pool storage pool,
        uint256 accPerUnit_,
        uint256 carry_,
        uint256 ratePerSecond_,
        uint256 lastUpdate_,
        uint256 streamEnd_,
        uint256 duration_
    ) internal {
        uint256 accumulatorWord = accPerUnit_ | (carry_ << ACCUMULATOR_CARRY_OFFSET);
        uint256 streamWord =
            ratePerSecond_ |
                (lastUpdate_ << STREAM_LAST_UPDATE_OFFSET) |
                (streamEnd_ << STREAM_END_OFFSET) |
                (duration_ << STREAM_DURATION_OFFSET);
        assembly ("memory-safe") {
            sstore(add(pool.slot, POOL_ACCUMULATOR_SLOT), accumulatorWord)
            sstore(add(pool.slot, POOL_STREAM_SLOT), streamWord)
        }
    }
}
