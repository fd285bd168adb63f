// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract Commit_Unit_Test is Base {
    function test_RevertWhen_CommitmentIsZero() external {
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroCommitment.selector);
        vm.prank(alice);
        registry.commit(bytes32(0));
        assertEq(registry.commitmentOf(alice, bytes32(0)), 0);
    }

    function test_RevertWhen_CommitmentIsLive() external {
        bytes32 commitment = registry.computeCommitment(_registration(HASH), alice, SALT);
        vm.prank(alice);
        registry.commit(commitment);
        vm.warp(START + 1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_CommitmentExists.selector,
                alice,
                commitment,
                uint40(START)
            )
        );
        vm.prank(alice);
        registry.commit(commitment);
        assertEq(registry.commitmentOf(alice, commitment), START);
    }

    function test_Commit() external {
        bytes32 commitment = registry.computeCommitment(_registration(HASH), alice, SALT);
        assertEq(commitment, _commitment(_registration(HASH), alice, SALT), "binds the whole registration");
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.Committed(alice, commitment, uint40(START));
        vm.prank(alice);
        registry.commit(commitment);
        assertEq(registry.commitmentOf(alice, commitment), START);
        _assertUnregistered(HASH);
    }

    function test_Commit_RenewsAnExpiredCommitment() external {
        bytes32 commitment = registry.computeCommitment(_registration(HASH), alice, SALT);
        vm.prank(alice);
        registry.commit(commitment);
        uint256 later = START + registry.COMMITMENT_LIFETIME() + 1;
        vm.warp(later);
        vm.prank(alice);
        registry.commit(commitment);
        assertEq(registry.commitmentOf(alice, commitment), later);
    }

    function test_Commit_CopiedCommitmentIsKeptApart() external {
        bytes32 commitment = registry.computeCommitment(_registration(HASH), alice, SALT);
        vm.prank(alice);
        registry.commit(commitment);
        vm.prank(eve);
        registry.commit(commitment);
        assertEq(registry.commitmentOf(alice, commitment), START);
        assertEq(registry.commitmentOf(eve, commitment), START);
    }
}
