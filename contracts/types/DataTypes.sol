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

    /// @notice The record of one contribution, packed into a single storage slot (20 + 5 + 1 + 1 + 5 bytes).
    /// @param author The wallet credited with the contribution; zero means the hash is not registered.
    /// @param registeredAt Unix time in seconds of the registration's evidence: the block of a direct or signed
    /// registration, the commitment of a reveal, the anchor of a Merkle leaf.
    /// @param kind What the contribution is.
    /// @param trainingConsent Whether the author consents to the contribution's use in training.
    /// @param nonce Counts the author-side changes of the record (consent, transfer); a signed consent change must
    /// name the current value, so no signature can take effect twice.
    struct Record {
        address author;
        uint40 registeredAt;
        Kind kind;
        bool trainingConsent;
        uint40 nonce;
    }

    /// @notice One contribution to register, as given to the direct, batch, signed and reveal entry points.
    /// @param contributionId The contribution's id: keccak256 of its canonical bytes, or a dataset's Merkle root.
    /// @param kind What the contribution is: an {Kind} as a uint8, so that a value outside the enum gets a named error
    /// rather than the ABI decoder's empty revert.
    /// @param trainingConsent Whether the author consents to the contribution's use in training.
    /// @param parents The registered contributions it derives from; emitted, never stored.
    /// @param uri Where the contribution's metadata lives; may be empty; emitted, never stored.
    struct Registration {
        bytes32 contributionId;
        uint8 kind;
        bool trainingConsent;
        bytes32[] parents;
        string uri;
    }

    /// @notice A Merkle root published by an attester, packed into a single storage slot (20 + 5 bytes).
    /// @param attester The approved attester that published the root; zero means the root is not anchored.
    /// @param anchoredAt Unix time in seconds at which the root was published; the date of every leaf's record.
    struct Anchor {
        address attester;
        uint40 anchoredAt;
    }
}
