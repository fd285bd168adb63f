// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

contract Materialize_Unit_Test is Base {
    bytes32 internal root;
    bytes32[] internal hashes;
    bytes32[] internal leaves;

    function setUp() public override {
        super.setUp();
        (root, hashes, leaves) = _anchorFour();
        vm.warp(START + 1 days);
    }

    function _materialize(uint256 index, bytes32[] memory proof) internal {
        vm.prank(relayer);
        registry.materialize(root, hashes[index], index % 2 == 0 ? alice : bob, uint8(index), proof);
    }

    function test_ComputeLeaf_IsDoubleHashed() external view {
        assertEq(registry.computeLeaf(hashes[1], bob, 1), leaves[1]);
    }

    function test_Materialize_DatedAtAnchor() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(hashes[2], alice, Authorship.Kind(2), uint40(START), true, "");
        _materialize(2, _proofOf(leaves, 2));
        _assertRecord(hashes[2], alice, START, Authorship.Kind(2), true);
    }

    function test_RevertWhen_RootUnknown() external {
        bytes32[] memory proof = _proofOf(leaves, 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownRoot.selector, keccak256("nope")));
        vm.prank(relayer);
        registry.materialize(keccak256("nope"), hashes[0], alice, 0, proof);
        _assertUnregistered(hashes[0]);
    }

    function test_RevertWhen_AttesterRevoked() external {
        vm.prank(owner);
        registry.setAttester(attester, false);
        bytes32[] memory proof = _proofOf(leaves, 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AttesterRevoked.selector, root, attester));
        _materialize(0, proof);
        _assertUnregistered(hashes[0]);
    }

    function test_RevertWhen_ProofForAnotherRoot() external {
        // A second tree holding the same leaf 0, anchored too: its proof does not lead to `root`.
        bytes32[] memory otherLeaves = new bytes32[](2);
        otherLeaves[0] = leaves[0];
        otherLeaves[1] = _leaf(OTHER_HASH, bob, Authorship.Kind.Other);
        (bytes32 otherRoot, bytes32[] memory otherProof) = _rootAndProof(otherLeaves, 0);
        vm.prank(attester);
        registry.anchor(otherRoot, URI);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, root, leaves[0]));
        _materialize(0, otherProof);
        _assertUnregistered(hashes[0]);
    }

    function test_RevertWhen_WrongAuthor() external {
        bytes32[] memory proof = _proofOf(leaves, 0);
        bytes32 forged = _leaf(hashes[0], eve, Authorship.Kind(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, root, forged));
        vm.prank(eve);
        registry.materialize(root, hashes[0], eve, 0, proof);
        _assertUnregistered(hashes[0]);
    }

    function test_RevertWhen_WrongKind() external {
        bytes32[] memory proof = _proofOf(leaves, 0);
        bytes32 forged = _leaf(hashes[0], alice, Authorship.Kind.Dataset);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, root, forged));
        vm.prank(relayer);
        registry.materialize(root, hashes[0], alice, uint8(Authorship.Kind.Dataset), proof);
        _assertUnregistered(hashes[0]);
    }

    /// @dev The internal node over leaves 0 and 1, submitted as a content hash with the rest of the path: the
    /// double hashing turns it into another leaf, which the root does not hold.
    function test_RevertWhen_InternalNodePassedAsLeaf() external {
        bytes32 node = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        bytes32 asLeaf = _leaf(node, alice, Authorship.Kind(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, root, asLeaf));
        vm.prank(relayer);
        registry.materialize(root, node, alice, 0, proof);
        _assertUnregistered(node);
    }

    function test_RevertWhen_LeafSubmittedTwice() external {
        bytes32[] memory proof = _proofOf(leaves, 1);
        _materialize(1, proof);
        bytes32 before = _recordWord(hashes[1]);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, hashes[1], bob));
        _materialize(1, proof);
        assertEq(_recordWord(hashes[1]), before);
    }

    function test_RevertWhen_RegisteredBeforeAnchor() external {
        // A hash registered directly before the anchor keeps its record.
        vm.warp(START + 2 days);
        _registerAs(eve, OTHER_HASH);
        vm.warp(START + 3 days);
        bytes32[] memory newLeaves = new bytes32[](2);
        newLeaves[0] = _leaf(OTHER_HASH, alice, Authorship.Kind.Prompt);
        newLeaves[1] = _leaf(HASH, alice, Authorship.Kind.Prompt);
        (bytes32 newRoot, bytes32[] memory proof) = _rootAndProof(newLeaves, 0);
        vm.prank(attester);
        registry.anchor(newRoot, URI);
        bytes32 before = _recordWord(OTHER_HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, OTHER_HASH, eve));
        registry.materialize(newRoot, OTHER_HASH, alice, uint8(Authorship.Kind.Prompt), proof);
        assertEq(_recordWord(OTHER_HASH), before);
    }

    function test_RevertWhen_HashIsZero() external {
        bytes32[] memory zeroLeaves = new bytes32[](2);
        zeroLeaves[0] = _leaf(bytes32(0), alice, Authorship.Kind.Prompt);
        zeroLeaves[1] = _leaf(HASH, alice, Authorship.Kind.Prompt);
        (bytes32 zeroRoot, bytes32[] memory proof) = _rootAndProof(zeroLeaves, 0);
        vm.prank(attester);
        registry.anchor(zeroRoot, URI);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        registry.materialize(zeroRoot, bytes32(0), alice, uint8(Authorship.Kind.Prompt), proof);
        _assertUnregistered(bytes32(0));
    }

    /// @dev Eve reads the public leaf file and registers alice's hash directly before alice materializes it: the
    /// anchor is older evidence, so alice's leaf supersedes eve's record.
    function test_Materialize_SupersedesRecordMadeAfterAnchor() external {
        _registerAs(eve, hashes[0]);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.RegistrationSuperseded(hashes[0], eve, uint40(START + 1 days), uint40(START));
        _materialize(0, _proofOf(leaves, 0));
        _assertRecord(hashes[0], alice, START, Authorship.Kind(0), true);
    }

    function test_Materialize_NamesItsRoot() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(hashes[1], bob, Authorship.Kind(1), uint40(START), true, "");
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionMaterialized(hashes[1], root);
        _materialize(1, _proofOf(leaves, 1));
    }

    /// @dev An attester may anchor a leaf of any kind byte; materializing one outside the enum is refused by name.
    function test_RevertWhen_KindInvalid() external {
        uint8 kind = INVALID_KIND + 1;
        bytes32[] memory oddLeaves = new bytes32[](2);
        oddLeaves[0] = _rawLeaf(OTHER_HASH, alice, kind);
        oddLeaves[1] = _leaf(HASH, alice, Authorship.Kind.Prompt);
        (bytes32 oddRoot, bytes32[] memory proof) = _rootAndProof(oddLeaves, 0);
        vm.prank(attester);
        registry.anchor(oddRoot, URI);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, kind));
        vm.prank(relayer);
        registry.materialize(oddRoot, OTHER_HASH, alice, kind, proof);
        _assertUnregistered(OTHER_HASH);
    }

    /// @dev Eve copies alice's hash from the leaf file and registers it; a week after eve's record, alice's leaf
    /// comes too late: the record is final.
    function test_RevertWhen_RecordFinal() external {
        _registerAs(eve, hashes[0]);
        uint256 finalAt = block.timestamp + registry.SUPERSESSION_WINDOW();
        vm.warp(finalAt + 1);
        bytes32 before = _recordWord(hashes[0]);
        bytes32[] memory proof = _proofOf(leaves, 0);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_RecordFinal.selector, hashes[0], eve, finalAt)
        );
        _materialize(0, proof);
        assertEq(_recordWord(hashes[0]), before);
        assertTrue(registry.isFinal(hashes[0]));
    }

    function test_Materialize_SupersedesAtTheLastSecondOfTheWindow() external {
        _registerAs(eve, hashes[0]);
        vm.warp(block.timestamp + registry.SUPERSESSION_WINDOW());
        assertFalse(registry.isFinal(hashes[0]));
        _materialize(0, _proofOf(leaves, 0));
        _assertRecord(hashes[0], alice, START, Authorship.Kind(0), true);
    }

    /// @dev The window counts from the record's date, not the anchor's: a leaf of a root anchored a year ago still
    /// supersedes a record made three days ago, and no longer one made six months ago.
    function test_Materialize_OldAnchorSupersedesOnlyAYoungRecord() external {
        vm.warp(START + 183 days);
        _registerAs(eve, hashes[0]);
        vm.warp(START + 362 days);
        _registerAs(eve, hashes[1]);
        vm.warp(START + 365 days);

        bytes32[] memory proof = _proofOf(leaves, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_RecordFinal.selector,
                hashes[0],
                eve,
                START + 183 days + registry.SUPERSESSION_WINDOW()
            )
        );
        _materialize(0, proof);
        assertEq(registry.authorOf(hashes[0]), eve, "the old copy is final");

        _materialize(1, _proofOf(leaves, 1));
        _assertRecord(hashes[1], bob, START, Authorship.Kind(1), true);
    }
}
