// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs, Epochs } from "../EpochsBase.t.sol";

contract Veto_Unit_Test is EpochsBase {
    uint32 internal epoch1;
    uint32 internal epoch2;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
        _fund(pool, 500e6);
        epoch2 = _publish(pool, _three(_leaf(ID, 900e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), epoch1);
    }

    function test_Veto_TheRootNeverPays() external {
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochVetoed(pool, epoch2, challenger, epoch1, "ID's weight counted twice");
        vm.prank(challenger);
        epochs.veto(pool, epoch2, "ID's weight counted twice");
        (, , Epochs.Status status) = epochs.epochOf(pool, epoch2);
        assertEq(uint8(status), uint8(Epochs.Status.Vetoed));
        vm.warp(block.timestamp + 100 days);
        (, , status) = epochs.epochOf(pool, epoch2);
        assertEq(uint8(status), uint8(Epochs.Status.Vetoed));
        assertEq(epochs.payableEpoch(pool), epoch1);
        assertEq(epochs.getPool(pool).pendingEpoch, 0);
    }

    function test_RevertWhen_NotChallenger() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_NotChallenger.selector, pool, publisher, challenger)
        );
        vm.prank(publisher);
        epochs.veto(pool, epoch2, "");
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_UnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        vm.prank(challenger);
        epochs.veto(99, 1, "");
    }

    function test_RevertWhen_WindowPassed() external {
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_NotPending.selector,
                pool,
                epoch2,
                uint8(Epochs.Status.Payable)
            )
        );
        vm.prank(challenger);
        epochs.veto(pool, epoch2, "late");
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_AcceptedEpoch() external {
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_NotPending.selector,
                pool,
                epoch1,
                uint8(Epochs.Status.Payable)
            )
        );
        vm.prank(challenger);
        epochs.veto(pool, epoch1, "");
    }

    function test_RevertWhen_VetoedTwice() external {
        vm.prank(challenger);
        epochs.veto(pool, epoch2, "");
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_NotPending.selector,
                pool,
                epoch2,
                uint8(Epochs.Status.Vetoed)
            )
        );
        vm.prank(challenger);
        epochs.veto(pool, epoch2, "");
    }

    function test_RevertWhen_UnknownEpoch() external {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_NotPending.selector, pool, 9, uint8(Epochs.Status.None))
        );
        vm.prank(challenger);
        epochs.veto(pool, 9, "");
    }
}
