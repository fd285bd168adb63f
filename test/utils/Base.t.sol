// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { IAuthorshipRegistry } from "../../contracts/interfaces/IAuthorshipRegistry.sol";
import { Errors } from "../../contracts/libraries/Errors.sol";
import { Authorship } from "../../contracts/types/DataTypes.sol";

/// @notice Shared users, deployment and helpers of the AuthorshipRegistry tests.
abstract contract Base is Test {
    /// @dev secp256k1's order; an `s` above half of it is the malleable twin of a valid signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    bytes32 internal constant HASH = keccak256("a prompt");
    bytes32 internal constant OTHER_HASH = keccak256("another prompt");
    bytes32 internal constant SALT = keccak256("salt");
    string internal constant URI = "ipfs://bafkreihash";
    uint256 internal constant START = 1_750_000_000;
    /// @dev The first `kind` outside {Authorship.Kind}.
    uint8 internal constant INVALID_KIND = uint8(type(Authorship.Kind).max) + 1;

    AuthorshipRegistry internal registry;

    address internal owner;
    address internal alice;
    uint256 internal alicePk;
    address internal bob;
    uint256 internal bobPk;
    address internal eve;
    address internal relayer;
    address internal attester;

    function setUp() public virtual {
        vm.warp(START);
        owner = makeAddr("owner");
        (alice, alicePk) = makeAddrAndKey("alice");
        (bob, bobPk) = makeAddrAndKey("bob");
        eve = makeAddr("eve");
        relayer = makeAddr("relayer");
        attester = makeAddr("attester");

        registry = new AuthorshipRegistry(owner);
        vm.prank(owner);
        registry.setAttester(attester, true);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      RECORDS
    //////////////////////////////////////////////////////////////////////////*/

    function _registration(bytes32 contributionId) internal pure returns (Authorship.Registration memory registration) {
        registration.contributionId = contributionId;
        registration.kind = uint8(Authorship.Kind.Prompt);
        registration.trainingConsent = true;
        registration.uri = URI;
    }

    function _registerAs(address author, bytes32 contributionId) internal {
        vm.prank(author);
        registry.register(contributionId, uint8(Authorship.Kind.Prompt), "");
    }

    /// @dev {IAuthorshipRegistry.computeCommitment} computed independently of the registry: the whole registration,
    /// the author and the salt.
    function _commitment(
        Authorship.Registration memory registration,
        address author,
        bytes32 salt
    ) internal pure returns (bytes32) {
        bytes32 registrationHash = keccak256(
            abi.encode(
                registration.contributionId,
                registration.kind,
                registration.trainingConsent,
                keccak256(abi.encodePacked(registration.parents)),
                keccak256(bytes(registration.uri))
            )
        );
        return keccak256(abi.encode(registrationHash, author, salt));
    }

    /// @dev `author` commits to `registration` hidden by `salt`; returns the commitment.
    function _commitAs(
        address author,
        Authorship.Registration memory registration,
        bytes32 salt
    ) internal returns (bytes32 commitment) {
        commitment = _commitment(registration, author, salt);
        vm.prank(author);
        registry.commit(commitment);
    }

    /// @dev The whole record as one comparable value.
    function _recordWord(bytes32 contributionId) internal view returns (bytes32) {
        return keccak256(abi.encode(registry.getRecord(contributionId)));
    }

    function _assertUnregistered(bytes32 contributionId) internal view {
        assertFalse(registry.isRegistered(contributionId), "registered");
        assertEq(
            _recordWord(contributionId),
            keccak256(abi.encode(Authorship.Record(address(0), 0, Authorship.Kind(0), false, 0)))
        );
    }

    function _assertRecord(
        bytes32 contributionId,
        address author,
        uint256 registeredAt,
        Authorship.Kind kind,
        bool trainingConsent
    ) internal view {
        Authorship.Record memory record = registry.getRecord(contributionId);
        assertEq(record.author, author, "author");
        assertEq(record.registeredAt, registeredAt, "registeredAt");
        assertEq(uint8(record.kind), uint8(kind), "kind");
        assertEq(record.trainingConsent, trainingConsent, "trainingConsent");
        assertEq(registry.authorOf(contributionId), author, "authorOf");
        assertTrue(registry.isRegistered(contributionId), "isRegistered");
        assertEq(registry.hasTrainingConsent(contributionId), trainingConsent, "hasTrainingConsent");
    }

    /*//////////////////////////////////////////////////////////////////////////
                                     SIGNATURES
    //////////////////////////////////////////////////////////////////////////*/

    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    /// @dev The EIP-712 digest computed independently of the registry, for any chain and contract.
    function _digest(uint256 chainId, address verifyingContract, bytes32 structHash) internal pure returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("Tributary AuthorshipRegistry"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _registrationStructHash(
        Authorship.Registration memory registration,
        address author,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    keccak256(
                        "Register(bytes32 contributionId,uint8 kind,bool trainingConsent,bytes32[] parents,string uri,"
                        "address author,uint256 deadline)"
                    ),
                    registration.contributionId,
                    registration.kind,
                    registration.trainingConsent,
                    keccak256(abi.encodePacked(registration.parents)),
                    keccak256(bytes(registration.uri)),
                    author,
                    deadline
                )
            );
    }

    function _consentStructHash(
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    keccak256(
                        "SetTrainingConsent(bytes32 contributionId,bool trainingConsent,uint40 nonce,uint256 deadline)"
                    ),
                    contributionId,
                    trainingConsent,
                    nonce,
                    deadline
                )
            );
    }

    function _commitStructHash(bytes32 commitment, address author, uint256 deadline) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    keccak256("Commit(bytes32 commitment,address author,uint256 deadline)"),
                    commitment,
                    author,
                    deadline
                )
            );
    }

    function _sign(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev `author`'s signature of `registration` for this chain and this registry.
    function _signRegistration(
        uint256 privateKey,
        Authorship.Registration memory registration,
        address author,
        uint256 deadline
    ) internal view returns (bytes memory) {
        return
            _sign(
                privateKey,
                _digest(block.chainid, address(registry), _registrationStructHash(registration, author, deadline))
            );
    }

    /// @dev `author`'s signature of a commitment for this chain and this registry.
    function _signCommitment(
        uint256 privateKey,
        bytes32 commitment,
        address author,
        uint256 deadline
    ) internal view returns (bytes memory) {
        return
            _sign(
                privateKey,
                _digest(block.chainid, address(registry), _commitStructHash(commitment, author, deadline))
            );
    }

    function _signConsent(
        uint256 privateKey,
        bytes32 contributionId,
        bool trainingConsent,
        uint40 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        return
            _sign(
                privateKey,
                _digest(
                    block.chainid,
                    address(registry),
                    _consentStructHash(contributionId, trainingConsent, nonce, deadline)
                )
            );
    }

    /// @dev The malleable twin (s' = n - s, v flipped) of a 65-byte signature.
    function _highS(bytes memory signature) internal pure returns (bytes memory, bytes32) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        return (abi.encodePacked(r, highS, v == 27 ? uint8(28) : uint8(27)), highS);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                       MERKLE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The @openzeppelin/merkle-tree leaf of (contributionId, author, kind).
    function _leaf(bytes32 contributionId, address author, Authorship.Kind kind) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(contributionId, author, kind))));
    }

    /// @dev The same leaf for any `kind` byte, one outside {Authorship.Kind} included (an attester may anchor one).
    function _rawLeaf(bytes32 contributionId, address author, uint8 kind) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(contributionId, author, kind))));
    }

    /// @dev Root of a perfect tree over `leaves` (length a power of two) with sorted-pair hashing, as MerkleProof
    /// verifies; and the proof of leaf `index`.
    function _rootAndProof(
        bytes32[] memory leaves,
        uint256 index
    ) internal pure returns (bytes32 root, bytes32[] memory proof) {
        uint256 depth;
        for (uint256 n = leaves.length; n > 1; n >>= 1) ++depth;
        proof = new bytes32[](depth);
        bytes32[] memory level = leaves;
        for (uint256 d = 0; d < depth; ++d) {
            proof[d] = level[index ^ 1];
            bytes32[] memory next = new bytes32[](level.length / 2);
            for (uint256 i = 0; i < next.length; ++i) {
                next[i] = Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1]);
            }
            level = next;
            index >>= 1;
        }
        root = level[0];
    }

    /// @dev A four-leaf tree crediting alice, bob, alice and bob with HASH-derived hashes, anchored by `attester`.
    function _anchorFour() internal returns (bytes32 root, bytes32[] memory hashes, bytes32[] memory leaves) {
        hashes = new bytes32[](4);
        leaves = new bytes32[](4);
        for (uint256 i = 0; i < 4; ++i) {
            hashes[i] = keccak256(abi.encode("leaf", i));
            leaves[i] = _leaf(hashes[i], i % 2 == 0 ? alice : bob, Authorship.Kind(i));
        }
        (root, ) = _rootAndProof(leaves, 0);
        vm.prank(attester);
        registry.anchor(root, URI);
    }

    function _proofOf(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory proof) {
        (, proof) = _rootAndProof(leaves, index);
    }
}
