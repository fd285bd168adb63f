// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";
import { Ownable2Step } from "@openzeppelin/contracts/access/Ownable2Step.sol";
import { ECDSA } from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import { EIP712 } from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import { SignatureChecker } from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import { IAuthorshipRegistry } from "./interfaces/IAuthorshipRegistry.sol";
import { Errors } from "./libraries/Errors.sol";
import { Authorship } from "./types/DataTypes.sol";

/// @title AuthorshipRegistry
/// @notice See the documentation in {IAuthorshipRegistry}.
contract AuthorshipRegistry is IAuthorshipRegistry, Ownable2Step, EIP712 {
    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuthorshipRegistry
    uint256 public constant override MAX_BATCH_SIZE = 256;

    /// @inheritdoc IAuthorshipRegistry
    uint256 public constant override MIN_REVEAL_DELAY = 1 minutes;

    /// @inheritdoc IAuthorshipRegistry
    uint256 public constant override COMMITMENT_LIFETIME = 1 days;

    /// @inheritdoc IAuthorshipRegistry
    uint256 public constant override SUPERSESSION_WINDOW = 7 days;

    /// @inheritdoc IAuthorshipRegistry
    bytes32 public constant override COMMIT_TYPEHASH = keccak256(
        "Commit(bytes32 commitment,address author,uint256 deadline)"
    );

    /// @inheritdoc IAuthorshipRegistry
    bytes32 public constant override REGISTER_TYPEHASH = keccak256(
        "Register(bytes32 contributionId,uint8 kind,bool trainingConsent,bytes32[] parents,string uri,address author,"
        "uint256 deadline)"
    );

    /// @inheritdoc IAuthorshipRegistry
    bytes32 public constant override SET_TRAINING_CONSENT_TYPEHASH = keccak256(
        "SetTrainingConsent(bytes32 contributionId,bool trainingConsent,uint40 nonce,uint256 deadline)"
    );

    /*//////////////////////////////////////////////////////////////////////////
                                      STORAGE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One slot per contribution; the metadata URI and the parents live in events only.
    mapping(bytes32 contributionId => Authorship.Record record) internal _records;

    /// @dev The wallet each record's author has named to accept authorship.
    mapping(bytes32 contributionId => address pendingAuthor) internal _pendingAuthors;

    /// @dev When each wallet committed each of its live commitments, in Unix seconds.
    mapping(address committer => mapping(bytes32 commitment => uint40 committedAt)) internal _commitments;

    /// @dev One slot per anchored Merkle root; the leaf file's URI lives in the event only.
    mapping(bytes32 root => Authorship.Anchor anchor) internal _anchors;

    /// @dev The wallets the owner approved to anchor roots.
    mapping(address account => bool approved) internal _attesters;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param initialOwner The wallet that approves attesters; ownership moves in two steps.
    constructor(address initialOwner) Ownable(initialOwner) EIP712("Tributary AuthorshipRegistry", "1") {}

    /*//////////////////////////////////////////////////////////////////////////
                                 CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuthorshipRegistry
    function domainSeparator() external view override returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IAuthorshipRegistry
    function getRecord(bytes32 contributionId) external view override returns (Authorship.Record memory record) {
        record = _records[contributionId];
    }

    /// @inheritdoc IAuthorshipRegistry
    function authorOf(bytes32 contributionId) external view override returns (address author) {
        author = _records[contributionId].author;
    }

    /// @inheritdoc IAuthorshipRegistry
    function isRegistered(bytes32 contributionId) external view override returns (bool registered) {
        registered = _records[contributionId].author != address(0);
    }

    /// @inheritdoc IAuthorshipRegistry
    function hasTrainingConsent(bytes32 contributionId) external view override returns (bool trainingConsent) {
        // An unregistered record reads as all zeros, so its consent is false.
        trainingConsent = _records[contributionId].trainingConsent;
    }

    /// @inheritdoc IAuthorshipRegistry
    function pendingAuthorOf(bytes32 contributionId) external view override returns (address pendingAuthor) {
        pendingAuthor = _pendingAuthors[contributionId];
    }

    /// @inheritdoc IAuthorshipRegistry
    function commitmentOf(address committer, bytes32 commitment) external view override returns (uint40 committedAt) {
        committedAt = _commitments[committer][commitment];
    }

    /// @inheritdoc IAuthorshipRegistry
    function isFinal(bytes32 contributionId) external view override returns (bool final_) {
        Authorship.Record memory record = _records[contributionId];
        final_ = record.author != address(0) && block.timestamp > record.registeredAt + SUPERSESSION_WINDOW;
    }

    /// @inheritdoc IAuthorshipRegistry
    function anchorOf(bytes32 root) external view override returns (Authorship.Anchor memory anchor_) {
        anchor_ = _anchors[root];
    }

    /// @inheritdoc IAuthorshipRegistry
    function isAttester(address account) external view override returns (bool approved) {
        approved = _attesters[account];
    }

    /// @inheritdoc IAuthorshipRegistry
    function computeCommitment(
        Authorship.Registration calldata registration,
        address author,
        bytes32 salt
    ) public pure override returns (bytes32 commitment) {
        bytes32 registrationHash = keccak256(
            abi.encode(
                registration.contributionId,
                registration.kind,
                registration.trainingConsent,
                keccak256(abi.encodePacked(registration.parents)),
                keccak256(bytes(registration.uri))
            )
        );
        commitment = keccak256(abi.encode(registrationHash, author, salt));
    }

    /// @inheritdoc IAuthorshipRegistry
    function computeLeaf(
        bytes32 contributionId,
        address author,
        uint8 kind
    ) public pure override returns (bytes32 leaf) {
        // Hashing twice keeps a leaf (64 bytes of preimage before the outer hash) from ever equalling an internal
        // node, as in @openzeppelin/merkle-tree.
        leaf = keccak256(bytes.concat(keccak256(abi.encode(contributionId, author, kind))));
    }

    /// @inheritdoc IAuthorshipRegistry
    function hashRegistration(
        Authorship.Registration calldata registration,
        address author,
        uint256 deadline
    ) public view override returns (bytes32 digest) {
        digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REGISTER_TYPEHASH,
                    registration.contributionId,
                    registration.kind,
                    registration.trainingConsent,
                    keccak256(abi.encodePacked(registration.parents)),
                    keccak256(bytes(registration.uri)),
                    author,
                    deadline
                )
            )
        );
    }

    /// @inheritdoc IAuthorshipRegistry
    function hashCommitment(
        bytes32 commitment,
        address author,
        uint256 deadline
    ) public view override returns (bytes32 digest) {
        digest = _hashTypedDataV4(keccak256(abi.encode(COMMIT_TYPEHASH, commitment, author, deadline)));
    }

    /// @inheritdoc IAuthorshipRegistry
    function hashTrainingConsent(
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline
    ) public view override returns (bytes32 digest) {
        digest = _hashTypedDataV4(
            keccak256(abi.encode(SET_TRAINING_CONSENT_TYPEHASH, contributionId, trainingConsent, nonce, deadline))
        );
    }

    /*//////////////////////////////////////////////////////////////////////////
                               NON-CONSTANT FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAuthorshipRegistry
    function register(bytes32 contributionId, uint8 kind, string calldata uri) external override {
        // Checks
        _checkUnregistered(contributionId);
        Authorship.Kind kind_ = _checkKind(kind);

        // Effects
        uint40 registeredAt = uint40(block.timestamp);
        _storeRecord(contributionId, msg.sender, registeredAt, kind_, true, 0);
        emit ContributionRegistered(contributionId, msg.sender, kind_, registeredAt, true, uri);
    }

    /// @inheritdoc IAuthorshipRegistry
    function registerContribution(Authorship.Registration calldata registration) external override {
        _registerNew(registration, msg.sender);
    }

    /// @inheritdoc IAuthorshipRegistry
    function registerBatch(Authorship.Registration[] calldata registrations) external override {
        // Checks
        uint256 count = registrations.length;
        if (count == 0) revert Errors.AuthorshipRegistry_EmptyBatch();
        if (count > MAX_BATCH_SIZE) revert Errors.AuthorshipRegistry_BatchTooLarge(count, MAX_BATCH_SIZE);

        // Effects: each registration is checked before it is written, so a later one may name an earlier one as
        // its parent, and a hash given twice fails the second time, reverting the whole batch.
        for (uint256 i = 0; i < count;) {
            _registerNew(registrations[i], msg.sender);
            // Cannot overflow: `i` is below `count`, which is at most MAX_BATCH_SIZE.
            unchecked {
                ++i;
            }
        }
    }

    /// @inheritdoc IAuthorshipRegistry
    function commit(bytes32 commitment) external override {
        // Checks
        if (commitment == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroCommitment();
        uint40 committedAt = _commitments[msg.sender][commitment];
        if (_isLive(committedAt))
            revert Errors.AuthorshipRegistry_CommitmentExists(msg.sender, commitment, committedAt);

        // Effects
        _storeCommitment(msg.sender, commitment);
    }

    /// @inheritdoc IAuthorshipRegistry
    function commitBySig(
        address author,
        bytes32 commitment,
        uint256 deadline,
        bytes calldata signature
    ) external override returns (bool committed) {
        // Checks: a live commitment is never renewed by a resubmission, which would move its date later.
        if (commitment == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroCommitment();
        if (_isLive(_commitments[author][commitment])) return false;
        if (block.timestamp > deadline) revert Errors.AuthorshipRegistry_SignatureExpired(deadline, block.timestamp);
        _checkSignature(author, hashCommitment(commitment, author, deadline), signature);

        // Effects
        _storeCommitment(author, commitment);
        committed = true;
    }

    /// @inheritdoc IAuthorshipRegistry
    function reveal(Authorship.Registration calldata registration, bytes32 salt) external override {
        _reveal(registration, msg.sender, salt);
    }

    /// @inheritdoc IAuthorshipRegistry
    function revealFor(
        Authorship.Registration calldata registration,
        address author,
        bytes32 salt
    ) external override returns (bool registered) {
        // Checks: a copy of this very reveal that landed first already made the record; the retry is a no-op.
        if (author != address(0) && _records[registration.contributionId].author == author) return false;
        _reveal(registration, author, salt);
        registered = true;
    }

    /// @inheritdoc IAuthorshipRegistry
    function registerBySig(
        Authorship.Registration calldata registration,
        address author,
        uint256 deadline,
        bytes calldata signature
    ) external override returns (bool registered) {
        // Checks: a signature that already took effect changes nothing, so its resubmission succeeds as a no-op.
        // Nothing is verified first because nothing can change.
        if (author != address(0) && _records[registration.contributionId].author == author) {
            return false;
        }
        if (block.timestamp > deadline) revert Errors.AuthorshipRegistry_SignatureExpired(deadline, block.timestamp);
        _checkSignature(author, hashRegistration(registration, author, deadline), signature);

        // Effects
        _registerNew(registration, author);
        registered = true;
    }

    /// @inheritdoc IAuthorshipRegistry
    function anchor(bytes32 root, string calldata uri) external override {
        // Checks
        if (!_attesters[msg.sender]) revert Errors.AuthorshipRegistry_NotAttester(msg.sender);
        if (root == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroRoot();
        Authorship.Anchor memory existing = _anchors[root];
        if (existing.attester != address(0)) {
            revert Errors.AuthorshipRegistry_RootAlreadyAnchored(root, existing.attester, existing.anchoredAt);
        }

        // Effects
        uint40 anchoredAt = uint40(block.timestamp);
        _anchors[root] = Authorship.Anchor({ attester: msg.sender, anchoredAt: anchoredAt });
        emit RootAnchored(root, msg.sender, anchoredAt, uri);
    }

    /// @inheritdoc IAuthorshipRegistry
    function materialize(
        bytes32 root,
        bytes32 contributionId,
        address author,
        uint8 kind,
        bytes32[] calldata proof
    ) external override {
        // Checks
        Authorship.Kind kind_ = _checkKind(kind);
        Authorship.Anchor memory anchor_ = _anchors[root];
        if (anchor_.attester == address(0)) revert Errors.AuthorshipRegistry_UnknownRoot(root);
        if (!_attesters[anchor_.attester]) revert Errors.AuthorshipRegistry_AttesterRevoked(root, anchor_.attester);
        bytes32 leaf = computeLeaf(contributionId, author, kind);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert Errors.AuthorshipRegistry_InvalidProof(root, leaf);
        Authorship.Record memory previous = _checkPrecedence(contributionId, anchor_.anchoredAt);

        // Effects
        _createRecord(contributionId, author, kind_, true, anchor_.anchoredAt, previous);
        emit ContributionRegistered(contributionId, author, kind_, anchor_.anchoredAt, true, "");
        emit ContributionMaterialized(contributionId, root);
    }

    /// @inheritdoc IAuthorshipRegistry
    function setAttester(address attester, bool approved) external override onlyOwner {
        // Checks
        if (attester == address(0)) revert Errors.AuthorshipRegistry_ZeroAttester();

        // Effects
        _attesters[attester] = approved;
        emit AttesterSet(attester, approved);
    }

    /// @inheritdoc IAuthorshipRegistry
    function setTrainingConsent(bytes32 contributionId, bool trainingConsent) external override {
        // Checks
        Authorship.Record memory record = _recordOf(contributionId);
        if (msg.sender != record.author) {
            revert Errors.AuthorshipRegistry_NotAuthor(contributionId, msg.sender, record.author);
        }

        // Effects
        _setTrainingConsent(contributionId, record, trainingConsent);
    }

    /// @inheritdoc IAuthorshipRegistry
    function setTrainingConsentBySig(
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external override returns (bool changed) {
        // Checks
        Authorship.Record memory record = _recordOf(contributionId);
        if (nonce != record.nonce) {
            // The last nonce used, with the record already holding the signed consent: the signature (or one
            // signing the very same change) already took effect, so its resubmission succeeds as a no-op.
            if (uint256(nonce) + 1 == record.nonce && record.trainingConsent == trainingConsent) {
                return false;
            }
            revert Errors.AuthorshipRegistry_InvalidNonce(contributionId, nonce, record.nonce);
        }
        if (block.timestamp > deadline) revert Errors.AuthorshipRegistry_SignatureExpired(deadline, block.timestamp);
        _checkSignature(
            record.author,
            hashTrainingConsent(contributionId, trainingConsent, nonce, deadline),
            signature
        );

        // Effects
        _setTrainingConsent(contributionId, record, trainingConsent);
        changed = true;
    }

    /// @inheritdoc IAuthorshipRegistry
    function transferAuthorship(bytes32 contributionId, address newAuthor) external override {
        // Checks
        Authorship.Record memory record = _recordOf(contributionId);
        if (msg.sender != record.author) {
            revert Errors.AuthorshipRegistry_NotAuthor(contributionId, msg.sender, record.author);
        }
        if (newAuthor == record.author) revert Errors.AuthorshipRegistry_TransferToAuthor(contributionId, newAuthor);

        // Effects
        _pendingAuthors[contributionId] = newAuthor;
        emit AuthorshipTransferStarted(contributionId, msg.sender, newAuthor);
    }

    /// @inheritdoc IAuthorshipRegistry
    function acceptAuthorship(bytes32 contributionId) external override {
        // Checks: a pending author exists only for a registered record, and is never the zero address.
        address pendingAuthor = _pendingAuthors[contributionId];
        if (msg.sender != pendingAuthor || pendingAuthor == address(0)) {
            revert Errors.AuthorshipRegistry_NotPendingAuthor(contributionId, msg.sender, pendingAuthor);
        }

        // Effects: the nonce moves on, so no consent signature made before the transfer can apply after it.
        Authorship.Record storage record = _records[contributionId];
        address previousAuthor = record.author;
        uint40 nonce = record.nonce + 1;
        record.author = msg.sender;
        record.nonce = nonce;
        delete _pendingAuthors[contributionId];
        emit AuthorshipTransferred(contributionId, previousAuthor, msg.sender, nonce);
    }

    /// @notice Proposes a new owner, who must accept. The zero address is refused rather than taken as a silent
    /// cancel: propose the current owner to cancel a proposal.
    function transferOwnership(address newOwner) public override onlyOwner {
        if (newOwner == address(0)) revert Errors.AuthorshipRegistry_ZeroOwner();
        super.transferOwnership(newOwner);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                 PRIVATE FUNCTIONS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Reverts unless `kind` is an {Authorship.Kind}; returns it as one.
    function _checkKind(uint8 kind) private pure returns (Authorship.Kind) {
        if (kind > uint8(type(Authorship.Kind).max)) revert Errors.AuthorshipRegistry_InvalidKind(kind);
        return Authorship.Kind(kind);
    }

    /// @dev Whether a commitment stored at `committedAt` (zero: none) can still be revealed.
    function _isLive(uint40 committedAt) private view returns (bool) {
        return committedAt != 0 && block.timestamp <= committedAt + COMMITMENT_LIFETIME;
    }

    /// @dev Reveals `author`'s commitment to `registration`: the direct and the relayed second step.
    function _reveal(Authorship.Registration calldata registration, address author, bytes32 salt) private {
        // Checks: the commitment binds the author and every field, so a copied commitment or a reveal replayed with
        // another author or other fields computes another commitment, which that wallet never made.
        bytes32 commitment = computeCommitment(registration, author, salt);
        uint40 committedAt = _commitments[author][commitment];
        if (committedAt == 0) revert Errors.AuthorshipRegistry_UnknownCommitment(author, commitment);
        if (block.timestamp < committedAt + MIN_REVEAL_DELAY) {
            revert Errors.AuthorshipRegistry_RevealTooEarly(
                commitment,
                committedAt + MIN_REVEAL_DELAY,
                block.timestamp
            );
        }
        if (block.timestamp > committedAt + COMMITMENT_LIFETIME) {
            revert Errors.AuthorshipRegistry_CommitmentExpired(
                commitment,
                committedAt + COMMITMENT_LIFETIME,
                block.timestamp
            );
        }
        Authorship.Record memory previous = _checkPrecedence(registration.contributionId, committedAt);
        Authorship.Kind kind = _checkKind(registration.kind);
        _checkParents(registration.contributionId, registration.parents);

        // Effects
        delete _commitments[author][commitment];
        _createRecord(registration.contributionId, author, kind, registration.trainingConsent, committedAt, previous);
        emit ContributionRegistered(
            registration.contributionId,
            author,
            kind,
            committedAt,
            registration.trainingConsent,
            registration.uri
        );
        if (registration.parents.length != 0) {
            emit ContributionDerived(registration.contributionId, registration.parents);
        }
    }

    /// @dev Stores `commitment` under `committer`, dated now.
    function _storeCommitment(address committer, bytes32 commitment) private {
        uint40 now_ = uint40(block.timestamp);
        _commitments[committer][commitment] = now_;
        emit Committed(committer, commitment, now_);
    }

    /// @dev Reverts unless `contributionId` is non-zero and unregistered.
    function _checkUnregistered(bytes32 contributionId) private view {
        if (contributionId == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroHash();
        address existing = _records[contributionId].author;
        if (existing != address(0)) revert Errors.AuthorshipRegistry_AlreadyRegistered(contributionId, existing);
    }

    /// @dev Reverts unless every parent is registered. A contribution cannot be its own parent: it is not
    /// registered yet when its parents are checked.
    function _checkParents(bytes32 contributionId, bytes32[] calldata parents) private view {
        uint256 count = parents.length;
        for (uint256 i = 0; i < count;) {
            if (_records[parents[i]].author == address(0)) {
                revert Errors.AuthorshipRegistry_UnknownParent(contributionId, parents[i]);
            }
            // Cannot overflow: `i` is below `count`, the length of a calldata array.
            unchecked {
                ++i;
            }
        }
    }

    /// @dev Reverts unless `contributionId` is non-zero and either unregistered or registered strictly after
    /// `evidenceAt` by a record that is not final yet; returns the record to supersede (all zeros when there is none).
    function _checkPrecedence(
        bytes32 contributionId,
        uint40 evidenceAt
    ) private view returns (Authorship.Record memory previous) {
        if (contributionId == bytes32(0)) revert Errors.AuthorshipRegistry_ZeroHash();
        previous = _records[contributionId];
        if (previous.author != address(0)) {
            if (previous.registeredAt <= evidenceAt) {
                revert Errors.AuthorshipRegistry_AlreadyRegistered(contributionId, previous.author);
            }
            // Supersession is bounded in time: after the window a record is final, whatever older evidence appears.
            uint256 finalAt = uint256(previous.registeredAt) + SUPERSESSION_WINDOW;
            if (block.timestamp > finalAt) {
                revert Errors.AuthorshipRegistry_RecordFinal(contributionId, previous.author, finalAt);
            }
        }
    }

    /// @dev Reverts unless `signature` is `author`'s over `digest`: a low-s ECDSA signature by `author`, or, when
    /// `author` has code (a smart wallet, or an EIP-7702 account whose key did not sign), its ERC-1271 approval.
    function _checkSignature(address author, bytes32 digest, bytes calldata signature) private view {
        (address recovered, ECDSA.RecoverError recoverError, bytes32 errorArg) = ECDSA.tryRecoverCalldata(
            digest,
            signature
        );
        if (recoverError == ECDSA.RecoverError.NoError && recovered == author) return;
        if (author.code.length != 0) {
            if (SignatureChecker.isValidERC1271SignatureNowCalldata(author, digest, signature)) return;
            revert Errors.AuthorshipRegistry_InvalidWalletSignature(author, digest);
        }
        if (recoverError == ECDSA.RecoverError.InvalidSignatureS) {
            revert Errors.AuthorshipRegistry_MalleableSignature(author, errorArg);
        }
        revert Errors.AuthorshipRegistry_InvalidSigner(author, recovered);
    }

    /// @dev Loads the record of `contributionId`, reverting if there is none.
    function _recordOf(bytes32 contributionId) private view returns (Authorship.Record memory record) {
        record = _records[contributionId];
        if (record.author == address(0)) revert Errors.AuthorshipRegistry_NotRegistered(contributionId);
    }

    /// @dev Registers a new record dated now to `author`: the direct, batch and signed ways in.
    function _registerNew(Authorship.Registration calldata registration, address author) private {
        // Each member is read from calldata once: every read of a calldata struct's member is validated again.
        bytes32 contributionId = registration.contributionId;
        uint8 rawKind = registration.kind;
        bool trainingConsent = registration.trainingConsent;
        bytes32[] calldata parents = registration.parents;

        // Checks
        _checkUnregistered(contributionId);
        Authorship.Kind kind = _checkKind(rawKind);
        if (parents.length != 0) _checkParents(contributionId, parents);

        // Effects
        uint40 registeredAt = uint40(block.timestamp);
        _storeRecord(contributionId, author, registeredAt, kind, trainingConsent, 0);
        emit ContributionRegistered(contributionId, author, kind, registeredAt, trainingConsent, registration.uri);
        if (parents.length != 0) emit ContributionDerived(contributionId, parents);
    }

    /// @dev Writes the record of a reveal or an anchored leaf, superseding `previous` when it exists. The nonce
    /// carries on from the superseded record, so none of its signed consent changes can apply to the new one.
    function _createRecord(
        bytes32 contributionId,
        address author,
        Authorship.Kind kind,
        bool trainingConsent,
        uint40 registeredAt,
        Authorship.Record memory previous
    ) private {
        bool supersedes = previous.author != address(0);
        _storeRecord(contributionId, author, registeredAt, kind, trainingConsent, supersedes ? previous.nonce + 1 : 0);
        if (supersedes) {
            delete _pendingAuthors[contributionId];
            emit RegistrationSuperseded(contributionId, previous.author, previous.registeredAt, registeredAt);
        }
    }

    /// @dev Writes a whole record with one SSTORE. Assigning the struct member by member costs a read and a write of
    /// the slot per member; the packing below is the layout Solidity gives {Authorship.Record}: `author` in the
    /// lowest 20 bytes, then `registeredAt` (5), `kind` (1), `trainingConsent` (1) and `nonce` (5).
    function _storeRecord(
        bytes32 contributionId,
        address author,
        uint40 registeredAt,
        Authorship.Kind kind,
        bool trainingConsent,
        uint40 nonce
    ) private {
        uint256 word =
            uint256(uint160(author)) |
                (uint256(registeredAt) << 160) |
                (uint256(kind) << 200) |
                (trainingConsent ? uint256(1) << 208 : 0) |
                (uint256(nonce) << 216);
        Authorship.Record storage record = _records[contributionId];
        assembly ("memory-safe") {
            sstore(record.slot, word)
        }
    }

    /// @dev Writes a consent change and moves the record's nonce on.
    function _setTrainingConsent(
        bytes32 contributionId,
        Authorship.Record memory record,
        bool trainingConsent
    ) private {
        uint40 nonce = record.nonce + 1;
        Authorship.Record storage stored = _records[contributionId];
        stored.trainingConsent = trainingConsent;
        stored.nonce = nonce;
        emit TrainingConsentChanged(contributionId, record.author, trainingConsent, nonce);
    }
}
