// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { Authorship } from "../types/DataTypes.sol";

/// @title IAuthorshipRegistry
/// @notice Records who authored a contribution (a prompt, a correction, a rating, a dataset, ...) and when.
/// A contribution is identified by its content hash: keccak256 of its canonical bytes, or for a dataset the Merkle
/// root over its files' hashes. A hash is registered once; the first registration stands.
///
/// There are four ways in, and all of them end in the same one-slot record and the same {ContributionRegistered}
/// event:
/// 1. direct: {register}, {registerContribution} and the all-or-nothing {registerBatch};
/// 2. commit, then reveal: {commit} (or, relayed, {commitBySig}) a hash of the whole registration, the author and a
///    salt, then {reveal} (or, relayed, {revealFor}) it between {MIN_REVEAL_DELAY} and {COMMITMENT_LIFETIME} later;
/// 3. signed by the author (EIP-712, EOA or ERC-1271 wallet) and submitted by anyone: {registerBySig};
/// 4. anchored: an approved attester publishes one Merkle root over (contributionId, author, kind) leaves with
///    {anchor}, and anyone turns a leaf into a record with {materialize}.
///
/// "First" means first by evidence: a record is dated by the block of a direct or signed registration, by the
/// commitment of a reveal, and by the anchor of a leaf. A reveal or a leaf whose evidence is strictly older than an
/// existing record supersedes it ({RegistrationSuperseded}), so that nobody can take authorship by copying a hash
/// from a pending reveal or from a published leaf file and registering it first; and only while that record is
/// younger than {SUPERSESSION_WINDOW}, after which it is final.
///
/// A direct or signed registration shows its hash in the mempool before it lands, so a watcher can copy it into a
/// registration of its own that lands first: those ways suit content that is already public. Private content goes
/// through commit and reveal, relayed or not (docs/registry.md).
interface IAuthorshipRegistry {
    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Emitted when a contribution's record is created, whichever way it came in.
    /// @param contributionId The contribution's id.
    /// @param author The wallet credited with the contribution.
    /// @param kind What the contribution is.
    /// @param registeredAt Unix time in seconds of the registration's evidence (see {Authorship.Record}).
    /// @param trainingConsent Whether the author consents to training use.
    /// @param uri Where the contribution's metadata lives; may be empty (always empty for an anchored leaf: the
    /// leaf file's URI is in {RootAnchored}).
    event ContributionRegistered(
        bytes32 indexed contributionId,
        address indexed author,
        Authorship.Kind kind,
        uint40 registeredAt,
        bool trainingConsent,
        string uri
    );

    /// @notice Emitted right after {ContributionRegistered} when the contribution names parents it derives from.
    /// Not emitted for a contribution without parents.
    /// @param contributionId The contribution's id.
    /// @param parents The registered contributions it derives from, in the order given.
    event ContributionDerived(bytes32 indexed contributionId, bytes32[] parents);

    /// @notice Emitted right before the {ContributionRegistered} of a reveal or an anchored leaf whose evidence is
    /// older than the existing record it replaces.
    /// @param contributionId The contribution's id.
    /// @param previousAuthor The author of the replaced record.
    /// @param previousRegisteredAt The date of the replaced record, in Unix seconds.
    /// @param registeredAt The date of the older evidence that replaces it, in Unix seconds.
    event RegistrationSuperseded(
        bytes32 indexed contributionId,
        address indexed previousAuthor,
        uint40 previousRegisteredAt,
        uint40 registeredAt
    );

    /// @notice Emitted right after the {ContributionRegistered} of a record made from an anchored leaf.
    /// @param contributionId The contribution's id.
    /// @param root The anchored root whose leaf it is.
    event ContributionMaterialized(bytes32 indexed contributionId, bytes32 indexed root);

    /// @notice Emitted when a commitment to a hidden registration is stored, by its author or relayed.
    /// @param committer The wallet the commitment is stored under, the only one its reveal can credit.
    /// @param commitment {computeCommitment} of (registration, committer, salt).
    /// @param committedAt Unix time in seconds of the commitment: the date of the record its reveal creates.
    event Committed(address indexed committer, bytes32 indexed commitment, uint40 committedAt);

    /// @notice Emitted when the owner approves or revokes an attester.
    /// @param attester The attester.
    /// @param approved Whether it may anchor roots, and whether its roots' leaves can still be materialized.
    event AttesterSet(address indexed attester, bool approved);

    /// @notice Emitted when an attester publishes a Merkle root over (contributionId, author, kind) leaves.
    /// @param root The root of the tree.
    /// @param attester The attester that published it.
    /// @param anchoredAt Unix time in seconds of the anchor: the date of every record materialized from it.
    /// @param uri Where the leaf file lives (the @openzeppelin/merkle-tree `StandardMerkleTree` dump).
    event RootAnchored(bytes32 indexed root, address indexed attester, uint40 anchoredAt, string uri);

    /// @notice Emitted when an author changes their consent to training use.
    /// @param contributionId The contribution's id.
    /// @param author The author on record.
    /// @param trainingConsent The new consent.
    /// @param nonce The record's nonce after the change: the one the next signed change must name.
    event TrainingConsentChanged(
        bytes32 indexed contributionId,
        address indexed author,
        bool trainingConsent,
        uint40 nonce
    );

    /// @notice Emitted when an author names (or, with the zero address, clears) the wallet that may accept
    /// authorship of a record.
    /// @param contributionId The contribution's id.
    /// @param author The author on record.
    /// @param pendingAuthor The wallet that may accept; zero when the transfer is cancelled.
    event AuthorshipTransferStarted(
        bytes32 indexed contributionId,
        address indexed author,
        address indexed pendingAuthor
    );

    /// @notice Emitted when the pending author accepts authorship of a record.
    /// @param contributionId The contribution's id.
    /// @param previousAuthor The author until now.
    /// @param newAuthor The author from now on.
    /// @param nonce The record's nonce after the change.
    event AuthorshipTransferred(
        bytes32 indexed contributionId,
        address indexed previousAuthor,
        address indexed newAuthor,
        uint40 nonce
    );

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The largest number of registrations {registerBatch} accepts in one call.
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice The time, in seconds, that must pass between a commitment and its reveal.
    function MIN_REVEAL_DELAY() external view returns (uint256);

    /// @notice The time, in seconds, after a commitment during which it can be revealed.
    function COMMITMENT_LIFETIME() external view returns (uint256);

    /// @notice The time, in seconds, after a record's date (`registeredAt`) during which older evidence (a reveal,
    /// an anchored leaf) may still supersede it: 7 days. After it the record is final.
    function SUPERSESSION_WINDOW() external view returns (uint256);

    /// @notice The EIP-712 type hash of a signed commitment:
    /// `Commit(bytes32 commitment,address author,uint256 deadline)`.
    function COMMIT_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a signed registration:
    /// `Register(bytes32 contributionId,uint8 kind,bool trainingConsent,bytes32[] parents,string uri,address author,
    /// uint256 deadline)`.
    function REGISTER_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a signed consent change:
    /// `SetTrainingConsent(bytes32 contributionId,bool trainingConsent,uint40 nonce,uint256 deadline)`.
    function SET_TRAINING_CONSENT_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "Tributary AuthorshipRegistry", version "1", this chain's id,
    /// this contract's address).
    function domainSeparator() external view returns (bytes32);

    /// @notice The record of `contributionId`; its author is the zero address when the hash is not registered.
    function getRecord(bytes32 contributionId) external view returns (Authorship.Record memory record);

    /// @notice The author of `contributionId`, or the zero address when the hash is not registered.
    function authorOf(bytes32 contributionId) external view returns (address author);

    /// @notice Whether `contributionId` has an author on record.
    function isRegistered(bytes32 contributionId) external view returns (bool registered);

    /// @notice Whether the author of `contributionId` consents to its training use; false when it is not registered.
    function hasTrainingConsent(bytes32 contributionId) external view returns (bool trainingConsent);

    /// @notice The wallet that may accept authorship of `contributionId`, or the zero address when none is pending.
    function pendingAuthorOf(bytes32 contributionId) external view returns (address pendingAuthor);

    /// @notice The Unix time in seconds at which `committer` committed `commitment`, or zero if it did not (or
    /// revealed it already).
    function commitmentOf(address committer, bytes32 commitment) external view returns (uint40 committedAt);

    /// @notice Whether the record of `contributionId` is final: registered, and older than {SUPERSESSION_WINDOW}.
    function isFinal(bytes32 contributionId) external view returns (bool final_);

    /// @notice The anchor of `root`; its attester is the zero address when the root is not anchored.
    function anchorOf(bytes32 root) external view returns (Authorship.Anchor memory anchor);

    /// @notice Whether `account` is an approved attester.
    function isAttester(address account) external view returns (bool approved);

    /// @notice The commitment hiding a whole registration, its author and a salt:
    /// `keccak256(abi.encode(keccak256(abi.encode(contributionId, kind, trainingConsent,
    /// keccak256(abi.encodePacked(parents)), keccak256(bytes(uri)))), author, salt))`. Binding every field means that
    /// whoever reads a pending reveal (salt included) can only submit the very same registration.
    /// @dev Compute it off-chain (or with an `eth_call`, which is not broadcast): a transaction would reveal it.
    function computeCommitment(
        Authorship.Registration calldata registration,
        address author,
        bytes32 salt
    ) external pure returns (bytes32 commitment);

    /// @notice The double-hashed Merkle leaf of (contributionId, author, kind), as the @openzeppelin/merkle-tree
    /// `StandardMerkleTree` with types `["bytes32", "address", "uint8"]` computes it:
    /// keccak256(bytes.concat(keccak256(abi.encode(contributionId, author, kind)))).
    function computeLeaf(bytes32 contributionId, address author, uint8 kind) external pure returns (bytes32 leaf);

    /// @notice The EIP-712 digest an author signs to have `registration` registered by anyone before `deadline`.
    function hashRegistration(
        Authorship.Registration calldata registration,
        address author,
        uint256 deadline
    ) external view returns (bytes32 digest);

    /// @notice The EIP-712 digest an author signs to have `commitment` stored under their name by anyone before
    /// `deadline`.
    function hashCommitment(
        bytes32 commitment,
        address author,
        uint256 deadline
    ) external view returns (bytes32 digest);

    /// @notice The EIP-712 digest an author signs to set the consent of `contributionId` by signature.
    function hashTrainingConsent(
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline
    ) external view returns (bytes32 digest);

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice Registers `contributionId` with the caller as its author, consenting to training use, without parents.
    /// @dev Emits a {ContributionRegistered} event.
    ///
    /// Requirements:
    /// - `contributionId` must not be zero.
    /// - `contributionId` must not be registered already.
    /// - `kind` must be an {Authorship.Kind}.
    ///
    /// @param contributionId The contribution's id.
    /// @param kind What the contribution is, an {Authorship.Kind}.
    /// @param uri Where the contribution's metadata lives; may be empty. Only emitted, never stored.
    function register(bytes32 contributionId, uint8 kind, string calldata uri) external;

    /// @notice Registers one contribution with the caller as its author, with its consent and parents.
    /// @dev Emits a {ContributionRegistered} event, and a {ContributionDerived} event when it has parents.
    ///
    /// Requirements:
    /// - `registration.contributionId` must not be zero nor registered already.
    /// - `registration.kind` must be an {Authorship.Kind}.
    /// - Every parent must be registered.
    ///
    /// @param registration The contribution to register.
    function registerContribution(Authorship.Registration calldata registration) external;

    /// @notice Registers many contributions with the caller as their author, all or nothing.
    /// @dev Emits one {ContributionRegistered} event per registration, in order, and a {ContributionDerived} event
    /// after each one that has parents. A registration may name a parent registered earlier in the same batch.
    ///
    /// Requirements:
    /// - The batch must hold between 1 and {MAX_BATCH_SIZE} registrations.
    /// - Each registration must meet the requirements of {registerContribution}; a hash given twice in the batch
    ///   fails the second time as already registered, and the whole batch is reverted.
    ///
    /// @param registrations The contributions to register.
    function registerBatch(Authorship.Registration[] calldata registrations) external;

    /// @notice Commits to a hidden registration crediting the caller, the first step of a registration that a
    /// watcher of pending transactions cannot copy.
    /// @dev Emits a {Committed} event. The commitment is keyed by the caller, so copying it gains nothing: only a
    /// reveal by the caller, crediting the caller, matches it.
    ///
    /// Requirements:
    /// - `commitment` must not be zero.
    /// - The caller must not have the same commitment live already (an expired one may be renewed).
    ///
    /// @param commitment {computeCommitment} of (registration, caller, salt).
    function commit(bytes32 commitment) external;

    /// @notice Stores a commitment under `author` on the strength of the author's EIP-712 signature, so that anyone
    /// (a platform) can pay the gas of a registration that a watcher of pending transactions cannot copy.
    /// @dev Emits a {Committed} event. Resubmitting a signature whose commitment is live under `author` already
    /// returns false and changes nothing.
    ///
    /// Requirements:
    /// - `commitment` must not be zero.
    /// - `deadline` must not have passed.
    /// - `signature` must be `author`'s signature of {hashCommitment}, as in {registerBySig}.
    ///
    /// @param author The wallet the commitment credits, which signed.
    /// @param commitment {computeCommitment} of (registration, author, salt).
    /// @param deadline Unix time in seconds after which the signature is void.
    /// @param signature The author's signature.
    /// @return committed True if this call stored the commitment, false if it was live already.
    function commitBySig(
        address author,
        bytes32 commitment,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bool committed);

    /// @notice Reveals a commitment of the caller and registers the contribution to the caller, dated at the
    /// commitment's time.
    /// @dev Emits a {ContributionRegistered} event (preceded by {RegistrationSuperseded} when it replaces a record
    /// made after the commitment, and followed by {ContributionDerived} when it has parents). Deletes the
    /// commitment.
    ///
    /// Requirements:
    /// - The caller must have committed {computeCommitment} of (registration, caller, salt).
    /// - At least {MIN_REVEAL_DELAY} and at most {COMMITMENT_LIFETIME} seconds must have passed since.
    /// - `registration` must meet the requirements of {registerContribution}, except that a record made strictly
    ///   after the commitment is superseded rather than refused, while it is not final ({SUPERSESSION_WINDOW}).
    ///
    /// @param registration The contribution to register.
    /// @param salt The secret that hid the commitment.
    function reveal(Authorship.Registration calldata registration, bytes32 salt) external;

    /// @notice Reveals a commitment stored under `author` and registers the contribution to `author`, dated at the
    /// commitment's time: the relayed second step. Anyone can submit it; the commitment binds every field, so the
    /// only registration it can make is the one the author committed to.
    /// @dev Emits as {reveal}. Resubmitting it once `author` has the record returns false and changes nothing.
    ///
    /// Requirements: as {reveal}, with `author` in place of the caller.
    ///
    /// @param registration The contribution to register.
    /// @param author The wallet the commitment is stored under.
    /// @param salt The secret that hid the commitment.
    /// @return registered True if this call created the record, false if `author` already had it.
    function revealFor(
        Authorship.Registration calldata registration,
        address author,
        bytes32 salt
    ) external returns (bool registered);

    /// @notice Registers a contribution to `author` on the strength of the author's EIP-712 signature, so that
    /// anyone (a platform) can pay the gas.
    /// @dev Emits a {ContributionRegistered} event, and a {ContributionDerived} event when it has parents.
    ///
    /// A signed registration needs no nonce: the content hash itself can be registered only once, so replaying
    /// the signature can never change state twice. Resubmitting it (the relayer's retry, or a copy that landed
    /// first) when `author` is already the hash's author returns false and changes nothing, rather than reverting.
    ///
    /// Requirements:
    /// - If `author` is not already the hash's author:
    ///   - `deadline` must not have passed.
    ///   - `signature` must be `author`'s signature of {hashRegistration}: a 65-byte ECDSA signature with a low `s`
    ///     from an externally owned account, or one that `author`, a smart wallet, approves through ERC-1271.
    ///   - `registration` must meet the requirements of {registerContribution}.
    ///
    /// @param registration The contribution to register.
    /// @param author The wallet to credit, which signed.
    /// @param deadline Unix time in seconds after which the signature is void.
    /// @param signature The author's signature.
    /// @return registered True if this call created the record, false if `author` already had it.
    function registerBySig(
        Authorship.Registration calldata registration,
        address author,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bool registered);

    /// @notice Publishes a Merkle root over (contributionId, author, kind) leaves that the caller, an approved
    /// attester, witnessed, with the URI of the leaf file. One transaction for any number of contributions.
    /// @dev Emits a {RootAnchored} event.
    ///
    /// Requirements:
    /// - The caller must be an approved attester.
    /// - `root` must not be zero nor anchored already.
    ///
    /// @param root The root of the @openzeppelin/merkle-tree `StandardMerkleTree` over the leaves.
    /// @param uri Where the leaf file lives. Only emitted, never stored.
    function anchor(bytes32 root, string calldata uri) external;

    /// @notice Turns one leaf of an anchored root into a full record, dated at the anchor's time, consenting to
    /// training use (the author can revoke it). Anyone can submit it.
    /// @dev Emits a {ContributionRegistered} event with an empty URI (preceded by {RegistrationSuperseded} when it
    /// replaces a record made after the anchor), then {ContributionMaterialized} naming the root.
    ///
    /// Requirements:
    /// - `root` must be anchored, by an attester that is still approved.
    /// - `proof` must lead from {computeLeaf} of (contributionId, author, kind) to `root`.
    /// - `contributionId` must not be zero, and not registered already unless by a record strictly younger than the
    ///   anchor that is not final yet ({SUPERSESSION_WINDOW}). A leaf submitted twice therefore fails as already
    ///   registered.
    /// - `kind` must be an {Authorship.Kind}.
    ///
    /// @param root The anchored root.
    /// @param contributionId The contribution's id.
    /// @param author The wallet the attester credited.
    /// @param kind What the contribution is.
    /// @param proof The sibling hashes from the leaf up to the root.
    function materialize(
        bytes32 root,
        bytes32 contributionId,
        address author,
        uint8 kind,
        bytes32[] calldata proof
    ) external;

    /// @notice Approves or revokes an attester. Revoking also stops the leaves of its roots from being
    /// materialized; records already made stay.
    /// @dev Emits an {AttesterSet} event.
    ///
    /// Requirements:
    /// - The caller must be the owner.
    /// - `attester` must not be the zero address.
    function setAttester(address attester, bool approved) external;

    /// @notice Sets the author's consent to the training use of `contributionId`.
    /// @dev Emits a {TrainingConsentChanged} event. Increments the record's nonce, which voids any signed consent
    /// change not yet submitted.
    ///
    /// Requirements:
    /// - `contributionId` must be registered, and the caller must be its author.
    function setTrainingConsent(bytes32 contributionId, bool trainingConsent) external;

    /// @notice Sets the consent of `contributionId` on the strength of its author's EIP-712 signature.
    /// @dev Emits a {TrainingConsentChanged} event. A consent change can be replayed to flip consent back, so it
    /// names the record's nonce, and increments it.
    ///
    /// Resubmitting the signature that took effect (the relayer's retry, or a copy that landed first) returns false
    /// and changes nothing: when `nonce` is the last one used and the record already holds `trainingConsent`.
    /// Any other used nonce reverts.
    ///
    /// Requirements:
    /// - `contributionId` must be registered.
    /// - `nonce` must be the record's current nonce (or be a resubmission, above).
    /// - `deadline` must not have passed.
    /// - `signature` must be the author's signature of {hashTrainingConsent}, as in {registerBySig}.
    ///
    /// @return changed True if this call applied the change, false if it was a resubmission.
    function setTrainingConsentBySig(
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bool changed);

    /// @notice Starts transferring authorship of `contributionId` to `newAuthor`, who must accept it; the zero address
    /// cancels a pending transfer. Two steps, so a mistyped address cannot receive authorship.
    /// @dev Emits an {AuthorshipTransferStarted} event. Replaces any pending transfer.
    ///
    /// Requirements:
    /// - `contributionId` must be registered, and the caller must be its author.
    /// - `newAuthor` must not be the author.
    function transferAuthorship(bytes32 contributionId, address newAuthor) external;

    /// @notice Accepts the pending transfer of authorship of `contributionId` to the caller.
    /// @dev Emits an {AuthorshipTransferred} event. Increments the record's nonce.
    ///
    /// Requirements:
    /// - The caller must be the pending author of `contributionId`.
    function acceptAuthorship(bytes32 contributionId) external;
}
