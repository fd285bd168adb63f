// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Types of the attribution epochs, and the one place their packed storage layout is written down. Every
/// amount is in the pool token's smallest unit.
library Epochs {
    /// @notice Publication times per word of {AttributionEpochs}'s `_publishedAt`: six uint40 fields.
    uint256 internal constant TIMES_PER_WORD = 6;

    /// @notice Width in bits of one publication time in its word.
    uint256 internal constant TIME_BITS = 40;

    /// @notice A pool, six storage slots; a claim reads slot 0 and writes slot 1, a publication writes slots 0, 3
    /// and 5. What a claim needs to know which epoch pays (the token, both epochs and the window) shares slot 0, so a
    /// claim reads one slot of the pool's settings. The metadata URI lives in {IAttributionEpochs.EpochPoolCreated}
    /// only.
    /// @param token Slot 0: the pool's token; the zero address means ETH. Read by every claim.
    /// @param acceptedEpoch Slot 0: the last epoch the pool recorded as accepted; zero when none.
    /// @param pendingEpoch Slot 0: the epoch in (or past) its challenge window, not yet recorded as accepted; zero when
    /// none. Once its window has passed it pays, whether or not a later call recorded it.
    /// @param challengeWindow Slot 0: seconds a published root waits before it pays, during which it can be vetoed; at
    /// most MAX_CHALLENGE_WINDOW, so it fits 32 bits.
    /// @param funded Slot 1: everything funded into the pool, net of the protocol fee. Never decreases, except to
    /// `claimed` when the admin reclaims what is unclaimed.
    /// @param claimed Slot 1: everything the pool paid or credited to claimants. Never above `funded`.
    /// @param admin Slot 2: the model provider; appoints the publisher and the challenger, confirms late authors.
    /// @param reclaimDelay Slot 2: seconds after the last publication (or the pool's creation) after which the admin
    /// may take back what is unclaimed; zero means never (the policy fixed at creation).
    /// @param closed Slot 2: whether the admin reclaimed what was unclaimed; a closed pool takes no funding,
    /// publication or claim.
    /// @param publisher Slot 3: the wallet that publishes roots.
    /// @param createdAt Slot 3: Unix time in seconds of the pool's creation.
    /// @param epochCount Slot 3: the number of epochs published, vetoed ones included; the last epoch's id.
    /// @param challenger Slot 4: the wallet that may veto a pending root.
    /// @param acceptedTotal Slot 5: the total of the accepted epoch; the floor of the next publication's total.
    /// @param pendingTotal Slot 5: the total of the pending epoch; zero when none.
    struct Pool {
        address token;
        uint32 acceptedEpoch;
        uint32 pendingEpoch;
        uint32 challengeWindow;
        uint128 funded;
        uint128 claimed;
        address admin;
        uint40 reclaimDelay;
        bool closed;
        address publisher;
        uint40 createdAt;
        uint32 epochCount;
        address challenger;
        uint128 acceptedTotal;
        uint128 pendingTotal;
    }

    /// @notice What a (pool, contribution) has been paid, one storage slot (16 + 5 bytes).
    /// @param claimed The contribution's cumulative amount paid or credited so far: its leaf's `cumulativeAmount` at
    /// its last claim.
    /// @param confirmedAt The date (`registeredAt`) of the record the pool's admin confirmed; zero when none.
    struct Position {
        uint128 claimed;
        uint40 confirmedAt;
    }

    /// @notice Everything a pool's creation fixes.
    /// @param token The pool's token; the zero address means ETH. Rebasing tokens are not supported.
    /// @param admin The model provider.
    /// @param publisher The wallet that publishes roots (a backend's key); non-zero.
    /// @param challenger The wallet that may veto a pending root (an auditor, a verifier bot); non-zero.
    /// @param challengeWindow Seconds a root waits before it pays, between MIN_CHALLENGE_WINDOW and
    /// MAX_CHALLENGE_WINDOW.
    /// @param reclaimDelay Zero: nobody ever takes back what is unclaimed. Otherwise, between MIN_RECLAIM_DELAY and
    /// MAX_RECLAIM_DELAY: seconds after the last publication after which the admin may take back what is unclaimed and
    /// close the pool. Fixed for good.
    /// @param metadataUri Where the pool's metadata lives; emitted, never stored.
    struct PoolParams {
        address token;
        address admin;
        address publisher;
        address challenger;
        uint40 challengeWindow;
        uint40 reclaimDelay;
        string metadataUri;
    }

    /// @notice An epoch's manifest: the root and how it was computed. Emitted whole; only the root, the total and the
    /// publication time are stored.
    /// @param root The Merkle root over the epoch's double-hashed leaves (see {IAttributionEpochs.leafOf}).
    /// @param total The sum of every leaf's cumulative amount, in the token's smallest unit.
    /// @param methodId The attribution method's id, e.g. keccak256("usage-share-v1").
    /// @param methodHash A hash of the method's code and parameters.
    /// @param modelHash A hash of the model version attributed.
    /// @param snapshotBlock The registry block at which the eligible set was read.
    /// @param eligibleHash A hash of the eligible contributions.
    /// @param usageLogHash A hash of the usage log.
    /// @param leafFileHash keccak256 of the leaf file's exact bytes.
    /// @param leafFileUri Where the leaf file lives.
    /// @param previousEpoch The epoch whose cumulative amounts this one extends: the pool's accepted epoch; zero for
    /// the first.
    struct Manifest {
        bytes32 root;
        uint256 total;
        bytes32 methodId;
        bytes32 methodHash;
        bytes32 modelHash;
        uint64 snapshotBlock;
        bytes32 eligibleHash;
        bytes32 usageLogHash;
        bytes32 leafFileHash;
        string leafFileUri;
        uint32 previousEpoch;
    }

    /// @notice One claim: a leaf of an epoch's tree and its proof.
    /// @param poolId The pool.
    /// @param epochId The epoch whose root the proof leads to: the pool's payable epoch
    /// ({IAttributionEpochs.payableEpoch}).
    /// @param contributionId The contribution.
    /// @param cumulativeAmount The leaf's cumulative amount, in the token's smallest unit.
    /// @param firstEpoch The leaf's first epoch: the first epoch of the pool whose leaf file named the contribution.
    /// @param proof The sibling hashes from the leaf to the root.
    struct Claim {
        uint256 poolId;
        uint32 epochId;
        bytes32 contributionId;
        uint256 cumulativeAmount;
        uint32 firstEpoch;
        bytes32[] proof;
    }

    /// @notice Where an epoch stands.
    /// @param None No such epoch.
    /// @param Pending Published, its challenge window open: it can be vetoed and does not pay yet.
    /// @param Payable Its window passed unvetoed and no later epoch's did: claims prove against it.
    /// @param Superseded It paid once; a later epoch pays now.
    /// @param Vetoed The challenger vetoed it in its window; it never pays.
    enum Status {
        None,
        Pending,
        Payable,
        Superseded,
        Vetoed
    }

    /// @notice A pool's state, for users and auditors.
    /// @param token The pool's token; the zero address means ETH.
    /// @param admin The model provider.
    /// @param publisher The wallet that publishes roots.
    /// @param challenger The wallet that may veto a pending root.
    /// @param challengeWindow Seconds a root waits before it pays.
    /// @param reclaimDelay Seconds after the last publication after which the admin may reclaim; zero: never.
    /// @param createdAt Unix time in seconds of the pool's creation.
    /// @param closed Whether the admin reclaimed what was unclaimed.
    /// @param epochCount The number of epochs published.
    /// @param payableEpoch The epoch claims prove against now; zero when none.
    /// @param pendingEpoch The epoch in its challenge window now; zero when none.
    /// @param payableTotal The payable epoch's total.
    /// @param funded Everything funded into the pool, net of the protocol fee.
    /// @param claimed Everything the pool paid or credited to claimants.
    struct PoolState {
        address token;
        address admin;
        address publisher;
        address challenger;
        uint40 challengeWindow;
        uint40 reclaimDelay;
        uint40 createdAt;
        bool closed;
        uint32 epochCount;
        uint32 payableEpoch;
        uint32 pendingEpoch;
        uint256 payableTotal;
        uint256 funded;
        uint256 claimed;
    }

    /// @notice Where epoch `epochId`'s publication time lives in `_publishedAt`: the word's index and the field's
    /// bit offset in it. Epochs count from 1.
    function timeSlot(uint256 epochId) internal pure returns (uint256 index, uint256 offset) {
        // Cannot underflow: callers pass epochs from 1.
        unchecked {
            index = (epochId - 1) / TIMES_PER_WORD;
            offset = ((epochId - 1) % TIMES_PER_WORD) * TIME_BITS;
        }
    }
}
