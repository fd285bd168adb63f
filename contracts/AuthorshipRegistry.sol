// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IAuthorshipRegistry } from "./interfaces/IAuthorshipRegistry.sol";
import { Errors } from "./libraries/Errors.sol";
import { Authorship } from "./types/DataTypes.sol";

/// @title AuthorshipRegistry
/// @notice See the documentation in {IAuthorshipRegistry}.
contract AuthorshipRegistry is IAuthorshipRegistry {
    /*//////////////////////////////////////////////////////////////////////////
                                      STORAGE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One slot per contribution; the metadata URI lives in the event only.
    mapping(bytes32 contentHash => Authorship.Record record) internal _records;

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuthorshipRegistry
    function getRecord(bytes32 contentHash) external view override returns (Authorship.Record memory record) {
        record = _records[contentHash];
    }

    /// @inheritdoc IAuthorshipRegistry
    function authorOf(bytes32 contentHash) external view override returns (address author) {
        author = _records[contentHash].author;
    }

    /// @inheritdoc IAuthorshipRegistry
    function isRegistered(bytes32 contentHash) external view override returns (bool registered) {
        registered = _records[contentHash].author != address(0);
    }

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuthorshipRegistry
    function register(bytes32 contentHash, Authorship.Kind kind, string calldata uri) external override {
        _register(contentHash, msg.sender, kind, true, uri);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                 INTERNAL FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Creates the record of `contentHash`; every way of registering ends here.
    function _register(
        bytes32 contentHash,
        address author,
        Authorship.Kind kind,
        bool trainingConsent,
        string calldata uri
    ) internal {
        // Checks
        if (contentHash == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroHash();
        address existing = _records[contentHash].author;
        if (existing != address(0)) revert Errors.AuthorshipRegistry_AlreadyRegistered(contentHash, existing);

        // Effects
        uint40 registeredAt = uint40(block.timestamp);
        _records[contentHash] = Authorship.Record({
            author: author,
            registeredAt: registeredAt,
            kind: kind,
            trainingConsent: trainingConsent
        });

        emit ContributionRegistered(contentHash, author, kind, registeredAt, trainingConsent, uri);
    }
}
