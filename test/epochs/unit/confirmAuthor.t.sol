// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs } from "../EpochsBase.t.sol";

contract ConfirmAuthor_Unit_Test is EpochsBase {
    function test_ConfirmAuthor_NamesTheRecordByItsDate() external {
        _register(bob, ID);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.AuthorConfirmed(pool, ID, bob, uint40(block.timestamp), admin);
        vm.prank(admin);
        epochs.confirmAuthor(pool, ID, bob);
        assertEq(epochs.positionOf(pool, ID).confirmedAt, block.timestamp);
    }

    function test_RevertWhen_NotPoolAdmin() external {
        _register(bob, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotPoolAdmin.selector, pool, bob, admin));
        vm.prank(bob);
        epochs.confirmAuthor(pool, ID, bob);
    }

    function test_RevertWhen_AuthorMismatch() external {
        _register(bob, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_AuthorMismatch.selector, ID, eve, bob));
        vm.prank(admin);
        epochs.confirmAuthor(pool, ID, eve);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_AuthorMismatch.selector, ID2, address(0), address(0))
        );
        vm.prank(admin);
        epochs.confirmAuthor(pool, ID2, address(0));
        assertEq(epochs.positionOf(pool, ID).confirmedAt, 0);
    }
}
