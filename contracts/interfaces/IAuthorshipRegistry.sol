// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { Authorship } from "../types/DataTypes.sol";

/// @title IAuthorshipRegistry
/// @notice Records who authored a contribution (a prompt, a correction, a rating, a dataset, ...) and when.
/// A contribution is identified by its content hash: keccak256 of its canonical bytes, or for a dataset the Merkle
/// root over its files' hashes. A hash is registered once; the first registration stands.
interface IAuthorshipRegistry {
    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Emitted when a contribution's record is created.
    /// @param contentHash The contribution's id.
    /// @param author The wallet credited with the contribution.
    /// @param kind What the contribution is.
    /// @param registeredAt Unix time in seconds at which the record took effect.
    /// @param trainingConsent Whether the author consents to training use.
    /// @param uri Where the contribution's metadata lives; may be empty.
    event ContributionRegistered(
        bytes32 indexed contentHash,
        address indexed author,
        Authorship.Kind kind,
        uint40 registeredAt,
        bool trainingConsent,
        string uri
    );

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The record of `contentHash`; its author is the zero address when the hash is not registered.
    function getRecord(bytes32 contentHash) external view returns (Authorship.Record memory record);

    /// @notice The author of `contentHash`, or the zero address when the hash is not registered.
    function authorOf(bytes32 contentHash) external view returns (address author);

    /// @notice Whether `contentHash` has an author on record.
    function isRegistered(bytes32 contentHash) external view returns (bool registered);

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Registers `contentHash` with the caller as its author, consenting to training use.
    /// @dev Emits a {ContributionRegistered} event.
    ///
    /// Requirements:
    /// - `contentHash` must not be zero.
    /// - `contentHash` must not be registered already.
    ///
    /// @param contentHash The contribution's id.
    /// @param kind What the contribution is.
    /// @param uri Where the contribution's metadata lives; may be empty. Only emitted, never stored.
    function register(bytes32 contentHash, Authorship.Kind kind, string calldata uri) external;
}
