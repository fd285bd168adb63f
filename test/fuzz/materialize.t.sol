// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship } from "../utils/Base.t.sol";

contract Materialize_Fuzz_Test is Base {
    struct Tree {
        bytes32 root;
        bytes32[] hashes;
        address[] authors;
        Authorship.Kind[] kinds;
        bytes32[] leaves;
    }

    function _tree(uint256 seed, uint256 depth) internal pure returns (Tree memory tree) {
        uint256 size = 1 << depth;
        tree.hashes = new bytes32[](size);
        tree.authors = new address[](size);
        tree.kinds = new Authorship.Kind[](size);
        tree.leaves = new bytes32[](size);
        for (uint256 i = 0; i < size; ++i) {
            tree.hashes[i] = keccak256(abi.encode(seed, i));
            tree.authors[i] = address(uint160(uint256(keccak256(abi.encode(seed, i, "author")))));
            tree.kinds[i] = Authorship.Kind(uint256(keccak256(abi.encode(seed, i, "kind"))) % 6);
            tree.leaves[i] = _leaf(tree.hashes[i], tree.authors[i], tree.kinds[i]);
        }
        (tree.root, ) = _rootAndProof(tree.leaves, 0);
    }

    function testFuzz_Materialize(uint256 seed, uint256 depth, uint256 index, uint40 later) external {
        depth = bound(depth, 1, 7);
        Tree memory tree = _tree(seed, depth);
        index = bound(index, 0, tree.leaves.length - 1);
        vm.prank(attester);
        registry.anchor(tree.root, URI);
        vm.warp(START + bound(later, 0, 365 days));

        registry.materialize(
            tree.root,
            tree.hashes[index],
            tree.authors[index],
            uint8(tree.kinds[index]),
            _proofOf(tree.leaves, index)
        );
        _assertRecord(tree.hashes[index], tree.authors[index], START, tree.kinds[index], true);
    }

    /// @dev A proof of one leaf never materializes another leaf of the tree.
    function testFuzz_RevertWhen_ProofOfOtherLeaf(uint256 seed, uint256 depth, uint256 index, uint256 other) external {
        depth = bound(depth, 1, 7);
        Tree memory tree = _tree(seed, depth);
        index = bound(index, 0, tree.leaves.length - 1);
        other = bound(other, 0, tree.leaves.length - 1);
        vm.assume(index != other);
        vm.prank(attester);
        registry.anchor(tree.root, URI);
        bytes32[] memory proof = _proofOf(tree.leaves, other);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, tree.root, tree.leaves[index])
        );
        registry.materialize(tree.root, tree.hashes[index], tree.authors[index], uint8(tree.kinds[index]), proof);
        _assertUnregistered(tree.hashes[index]);
    }

    /// @dev Any tampered proof element makes the proof fail.
    function testFuzz_RevertWhen_ProofTampered(
        uint256 seed,
        uint256 depth,
        uint256 index,
        uint256 position,
        bytes32 noise
    ) external {
        vm.assume(noise != bytes32(0));
        depth = bound(depth, 1, 7);
        Tree memory tree = _tree(seed, depth);
        index = bound(index, 0, tree.leaves.length - 1);
        vm.prank(attester);
        registry.anchor(tree.root, URI);
        bytes32[] memory proof = _proofOf(tree.leaves, index);
        proof[bound(position, 0, proof.length - 1)] ^= noise;
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, tree.root, tree.leaves[index])
        );
        registry.materialize(tree.root, tree.hashes[index], tree.authors[index], uint8(tree.kinds[index]), proof);
        _assertUnregistered(tree.hashes[index]);
    }

    /// @dev A valid proof against a root it was not built for fails.
    function testFuzz_RevertWhen_OtherRoot(uint256 seed, uint256 otherSeed, uint256 index) external {
        vm.assume(seed != otherSeed);
        Tree memory tree = _tree(seed, 3);
        Tree memory otherTree = _tree(otherSeed, 3);
        index = bound(index, 0, 7);
        vm.startPrank(attester);
        registry.anchor(tree.root, URI);
        registry.anchor(otherTree.root, URI);
        vm.stopPrank();
        bytes32[] memory proof = _proofOf(tree.leaves, index);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidProof.selector, otherTree.root, tree.leaves[index])
        );
        registry.materialize(otherTree.root, tree.hashes[index], tree.authors[index], uint8(tree.kinds[index]), proof);
        _assertUnregistered(tree.hashes[index]);
    }
}
