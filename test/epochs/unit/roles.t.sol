// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs } from "../EpochsBase.t.sol";

/// @notice setPublisher and setChallenger.
contract Roles_Unit_Test is EpochsBase {
    function test_SetPublisher() external {
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.PublisherSet(pool, bob);
        vm.prank(admin);
        epochs.setPublisher(pool, bob);
        assertEq(epochs.getPool(pool).publisher, bob);
    }

    function test_SetChallenger() external {
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.ChallengerSet(pool, bob);
        vm.prank(admin);
        epochs.setChallenger(pool, bob);
        assertEq(epochs.getPool(pool).challenger, bob);
    }

    function test_RevertWhen_NotPoolAdmin() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotPoolAdmin.selector, pool, eve, admin));
        vm.prank(eve);
        epochs.setPublisher(pool, eve);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotPoolAdmin.selector, pool, eve, admin));
        vm.prank(eve);
        epochs.setChallenger(pool, eve);
        assertEq(epochs.getPool(pool).publisher, publisher);
        assertEq(epochs.getPool(pool).challenger, challenger);
    }

    function test_RevertWhen_UnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        vm.prank(admin);
        epochs.setPublisher(99, bob);
    }

    function test_RevertWhen_ZeroRole() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRole.selector, bytes32("publisher")));
        vm.prank(admin);
        epochs.setPublisher(pool, address(0));
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRole.selector, bytes32("challenger")));
        vm.prank(admin);
        epochs.setChallenger(pool, address(0));
    }

    function test_RevertWhen_ChallengerChangedWhileARootIsPending() external {
        // An admin cannot remove the challenger of a root already published.
        _fund(pool, 10e6);
        _publish(pool, _two(_leaf(ID, 1e6, 1), _leaf(ID2, 2e6, 1)), 0);
        uint40 acceptableAt = uint40(block.timestamp) + WINDOW;
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_RootPending.selector, pool, 1, acceptableAt));
        vm.prank(admin);
        epochs.setChallenger(pool, admin);
        assertEq(epochs.getPool(pool).challenger, challenger);
        vm.warp(acceptableAt);
        vm.prank(admin);
        epochs.setChallenger(pool, admin);
        assertEq(epochs.getPool(pool).challenger, admin);
    }
}
