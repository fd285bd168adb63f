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

    /// @notice Thrown when an operation needs a record that does not exist.
    /// @param contentHash The hash that has no record.
    error AuthorshipRegistry_NotRegistered(bytes32 contentHash);

    /// @notice Thrown when a contribution names a parent that is not registered.
    /// @param contentHash The hash being registered.
    /// @param parent The parent that has no record.
    error AuthorshipRegistry_UnknownParent(bytes32 contentHash, bytes32 parent);

    /// @notice Thrown when a batch holds no registration.
    error AuthorshipRegistry_EmptyBatch();

    /// @notice Thrown when a batch holds more registrations than one transaction may carry.
    /// @param size The number of registrations in the batch.
    /// @param maxSize The largest batch accepted.
    error AuthorshipRegistry_BatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice Thrown when the zero commitment is committed, which hides nothing.
    error AuthorshipRegistry_ZeroCommitment();

    /// @notice Thrown when a caller commits a commitment of theirs that is still live.
    /// @param committer The caller.
    /// @param commitment The commitment already on record.
    /// @param committedAt Unix time in seconds at which it was committed.
    error AuthorshipRegistry_CommitmentExists(address committer, bytes32 commitment, uint40 committedAt);

    /// @notice Thrown when a reveal matches no commitment of the caller: wrong hash, wrong salt, or another caller.
    /// @param committer The caller, the only wallet a reveal can credit.
    /// @param commitment The commitment computed from the reveal's hash, the caller and the salt.
    error AuthorshipRegistry_UnknownCommitment(address committer, bytes32 commitment);

    /// @notice Thrown when a commitment is revealed before its minimum delay has passed.
    /// @param commitment The commitment being revealed.
    /// @param revealableAt Unix time in seconds from which it can be revealed.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_RevealTooEarly(bytes32 commitment, uint256 revealableAt, uint256 currentTime);

    /// @notice Thrown when a commitment is revealed after its lifetime.
    /// @param commitment The commitment being revealed.
    /// @param expiredAt Unix time in seconds after which it can no longer be revealed.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_CommitmentExpired(bytes32 commitment, uint256 expiredAt, uint256 currentTime);

    /// @notice Thrown when a signature is submitted after its deadline.
    /// @param deadline Unix time in seconds after which the signature is void.
    /// @param currentTime The current block's time, in seconds.
    error AuthorshipRegistry_SignatureExpired(uint256 deadline, uint256 currentTime);

    /// @notice Thrown when an ECDSA signature was not made by the expected author over this message, chain and
    /// contract (a signature for another chain or contract recovers another address).
    /// @param author The wallet that should have signed.
    /// @param recovered The address the signature recovers to; zero when it recovers to none.
    error AuthorshipRegistry_InvalidSigner(address author, address recovered);

    /// @notice Thrown when an ECDSA signature has its `s` value in the upper half of the curve order: the malleable
    /// twin of a valid signature, refused so that each signed message has one encoding.
    /// @param author The wallet that should have signed.
    /// @param s The signature's `s` value.
    error AuthorshipRegistry_MalleableSignature(address author, bytes32 s);

    /// @notice Thrown when a smart wallet does not answer ERC-1271's magic value for the message.
    /// @param wallet The smart wallet that should have approved the message.
    /// @param digest The EIP-712 digest submitted to it.
    error AuthorshipRegistry_InvalidWalletSignature(address wallet, bytes32 digest);

    /// @notice Thrown when a signed change names a nonce other than the record's current one.
    /// @param contentHash The record being changed.
    /// @param nonce The nonce in the signed message.
    /// @param expected The record's current nonce.
    error AuthorshipRegistry_InvalidNonce(bytes32 contentHash, uint40 nonce, uint40 expected);

    /// @notice Thrown when someone other than the author tries to change a record.
    /// @param contentHash The record being changed.
    /// @param caller The wallet that tried.
    /// @param author The author on record.
    error AuthorshipRegistry_NotAuthor(bytes32 contentHash, address caller, address author);

    /// @notice Thrown when someone other than the pending author accepts a transfer of authorship.
    /// @param contentHash The record being transferred.
    /// @param caller The wallet that tried.
    /// @param pendingAuthor The wallet the author named; zero when no transfer is pending.
    error AuthorshipRegistry_NotPendingAuthor(bytes32 contentHash, address caller, address pendingAuthor);

    /// @notice Thrown when an author starts a transfer of authorship to themself.
    /// @param contentHash The record being transferred.
    /// @param author The author on record.
    error AuthorshipRegistry_TransferToAuthor(bytes32 contentHash, address author);

    /// @notice Thrown when the owner approves or revokes the zero address as an attester.
    error AuthorshipRegistry_ZeroAttester();

    /// @notice Thrown when a wallet that is not an approved attester anchors a root.
    /// @param caller The wallet that tried.
    error AuthorshipRegistry_NotAttester(address caller);

    /// @notice Thrown when the zero root is anchored, which commits to nothing.
    error AuthorshipRegistry_ZeroRoot();

    /// @notice Thrown when a root that is already anchored is anchored again; the first anchor's date stands.
    /// @param root The root being anchored.
    /// @param attester The attester that anchored it first.
    /// @param anchoredAt Unix time in seconds of the first anchor.
    error AuthorshipRegistry_RootAlreadyAnchored(bytes32 root, address attester, uint40 anchoredAt);

    /// @notice Thrown when a leaf is submitted against a root that nobody anchored.
    /// @param root The root named by the submission.
    error AuthorshipRegistry_UnknownRoot(bytes32 root);

    /// @notice Thrown when a leaf is submitted against a root whose attester the owner has since revoked.
    /// @param root The root named by the submission.
    /// @param attester The revoked attester that anchored it.
    error AuthorshipRegistry_AttesterRevoked(bytes32 root, address attester);

    /// @notice Thrown when a Merkle proof does not lead from the leaf to the root.
    /// @param root The root named by the submission.
    /// @param leaf The double-hashed leaf computed from (contentHash, author, kind).
    error AuthorshipRegistry_InvalidProof(bytes32 root, bytes32 leaf);
}
