// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Errors
/// @notice Every custom error of the protocol, named `Contract_Reason(offendingValues)`.
library Errors {
    /*//////////////////////////////////////////////////////////////////////////
                                AUTHORSHIP-REGISTRY
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Thrown when a contribution is registered with the zero hash, which identifies nothing.
    error AuthorshipRegistry_ZeroHash();

    /// @notice Thrown when a hash that already has an author is registered again; the first registration stands.
    /// @param contentHash The hash being registered.
    /// @param author The author already on record.
    error AuthorshipRegistry_AlreadyRegistered(bytes32 contentHash, address author);
}
