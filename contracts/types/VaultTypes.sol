// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Types of the royalty vault. Every fixed-point number is scaled by {RoyaltyVault.SCALE} (1e9): a "scaled"
/// amount is an amount in the token's smallest unit multiplied by 1e9.
library Vault {
    /// @notice A pool's accrual checkpoint, one storage slot (20 + 12 bytes). Written by deposits and unit changes;
    /// claims read it and compute the accrual up to now in memory.
    /// @param accPerUnit Cumulative royalties per unit since the pool opened, scaled (token units x 1e9 per unit).
    /// @param carry Scaled royalties released by the stream but not yet spread over the units: the remainder of the
    /// last division by `totalUnits`, plus the remainder of the last rate division. Spread with the next release.
    struct Accumulator {
        uint160 accPerUnit;
        uint96 carry;
    }

    /// @notice A pool's stream, one storage slot (17 + 5 + 5 + 5 bytes).
    /// @param ratePerSecond Scaled token units released per second until `streamEnd`.
    /// @param lastUpdate Unix time in seconds of the last checkpoint.
    /// @param streamEnd Unix time in seconds at which the stream ends; moves later while the pool has no units.
    /// @param duration Seconds over which each deposit (plus what has not streamed yet) streams.
    struct Stream {
        uint136 ratePerSecond;
        uint40 lastUpdate;
        uint40 streamEnd;
        uint40 duration;
    }

    /// @notice Everything stored about a pool, five storage slots. The metadata URI lives in {PoolCreated} only. A
    /// deposit reads the first three slots whole and writes the first two whole through {VaultLayout}, whose offsets
    /// are this layout.
    /// @param accumulator Slot 0: the accrual checkpoint.
    /// @param stream Slot 1: the stream.
    /// @param token Slot 2: the pool's token; the zero address means ETH.
    /// @param totalUnits Slot 2: the sum of the units of the pool's contributions.
    /// @param admin Slot 3: the model provider; sets units, appoints the attributor, hands the pool over.
    /// @param attributor Slot 4: a wallet the admin appointed to set units; zero when none.
    struct Pool {
        Accumulator accumulator;
        Stream stream;
        address token;
        uint96 totalUnits;
        address admin;
        address attributor;
    }

    /// @notice A contribution's position in a pool, one storage slot (6 + 20 + 4 + 1 + 1 bytes). A claim reads it
    /// whole through {VaultLayout}, whose offsets are this layout.
    /// @param units The contribution's share of the pool's stream.
    /// @param accPerUnitPaid The pool's `accPerUnit` when the position was last settled or claimed.
    /// @param fraction Scaled royalties below one token unit carried from the last settlement; below 1e9.
    /// @param hasAccrued Whether whole token units accrued under earlier units wait in the separate accrued slot.
    /// @param escrowed Whether the pool gave the hash units while nobody had registered it: its claims then follow the
    /// escrow rule ({Escrow}).
    struct Position {
        uint48 units;
        uint160 accPerUnitPaid;
        uint32 fraction;
        bool hasAccrued;
        bool escrowed;
    }

    /// @notice The escrow of a (pool, contribution) whose hash the pool made public before anyone registered it, one
    /// storage slot (5 + 5 bytes). A claim pays the registered author only if the record is dated before
    /// `exposedAt`, or is the record the admin confirmed.
    /// @param exposedAt Unix time in seconds at which the pool first gave the unregistered hash units.
    /// @param confirmedAt The date (`registeredAt`) of the record the pool's admin confirmed; zero when none.
    struct Escrow {
        uint40 exposedAt;
        uint40 confirmedAt;
    }

    /// @notice A pool's state as of the current block, for users and auditors.
    /// @param token The pool's token; the zero address means ETH.
    /// @param admin The model provider.
    /// @param attributor The appointed attributor; zero when none.
    /// @param duration Seconds over which each deposit streams.
    /// @param totalUnits The sum of the units of the pool's contributions.
    /// @param ratePerSecond Scaled token units released per second until `streamEnd`.
    /// @param streamEnd Unix time in seconds at which the stream ends (as of now: later if the pool has no units).
    /// @param accPerUnit Cumulative scaled royalties per unit, as of now.
    /// @param notYetStreamed Scaled token units not yet released by the stream.
    /// @param carriedRemainder Scaled token units released but not yet spread over the units.
    struct PoolState {
        address token;
        address admin;
        address attributor;
        uint40 duration;
        uint96 totalUnits;
        uint136 ratePerSecond;
        uint40 streamEnd;
        uint160 accPerUnit;
        uint256 notYetStreamed;
        uint256 carriedRemainder;
    }

    /// @notice A token's totals over every pool of the token, as of the current block.
    /// @param pools The number of pools of the token.
    /// @param notYetStreamed Scaled token units not yet released by the pools' streams.
    /// @param carriedRemainder Scaled token units released but not yet spread over units.
    /// @param feesOwed Protocol fees accrued and not yet collected, in the token's smallest unit.
    /// @param feesCollected Protocol fees collected so far, in the token's smallest unit.
    /// @param deferredOwed Payouts whose transfer failed, waiting for their payees, in the token's smallest unit.
    struct TokenTotals {
        uint256 pools;
        uint256 notYetStreamed;
        uint256 carriedRemainder;
        uint256 feesOwed;
        uint256 feesCollected;
        uint256 deferredOwed;
    }

    /// @notice The protocol's configuration, one storage slot (20 + 2 + 1 bytes): read whole by every deposit
    /// ({VaultLayout}).
    /// @param feeRecipient The wallet that collects protocol fees.
    /// @param feeBps The protocol fee in basis points of each deposit; at most {RoyaltyVault.MAX_FEE_BPS}.
    /// @param paused Whether deposits and unit changes are stopped.
    struct Config {
        address feeRecipient;
        uint16 feeBps;
        bool paused;
    }
}
