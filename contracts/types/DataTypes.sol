// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Types of the authorship registry.
library Authorship {
    /// @notice What a contribution is.
    enum Kind {
        Prompt,
        Correction,
        Feedback,
        Dataset,
        ModelOutput,
        Other
    }

    /// @notice The record of one contribution, packed into a single storage slot (20 + 5 + 1 + 1 bytes).
    /// @param author The wallet credited with the contribution; zero means the hash is not registered.
    /// @param registeredAt Unix time in seconds at which the record took effect.
    /// @param kind What the contribution is.
    /// @param trainingConsent Whether the author consents to the contribution's use in training.
    struct Record {
        address author;
        uint40 registeredAt;
        Kind kind;
        bool trainingConsent;
    }
}
