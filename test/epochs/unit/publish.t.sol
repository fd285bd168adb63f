// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs, Epochs } from "../EpochsBase.t.sol";

contract Publish_Unit_Test is EpochsBase {
    function setUp() public override {
        super.setUp();
        _fund(pool, 1_000e6);
    }

    function _publishAs(address caller, Epochs.Manifest memory manifest) internal returns (uint32 epochId) {
        vm.prank(caller);
        epochId = epochs.publish(pool, manifest);
    }

    function test_Publish_StoresTheRootAndEmitsTheManifest() external {
        Epochs.Manifest memory manifest = _manifest(keccak256("root"), 600e6, 0);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochPublished(pool, 1, publisher, uint40(block.timestamp) + WINDOW, 0, manifest);
        uint32 epochId = _publishAs(publisher, manifest);
        assertEq(epochId, 1);
        (bytes32 root, uint40 publishedAt, Epochs.Status status) = epochs.epochOf(pool, 1);
        assertEq(root, keccak256("root"));
        assertEq(publishedAt, block.timestamp);
        assertEq(uint8(status), uint8(Epochs.Status.Pending));
        Epochs.PoolState memory state = epochs.getPool(pool);
        assertEq(state.epochCount, 1);
        assertEq(state.pendingEpoch, 1);
        assertEq(state.payableEpoch, 0);
    }

    function test_Publish_AcceptsThePendingRootOnceItsWindowPassed() external {
        _publishAs(publisher, _manifest(keccak256("root 1"), 600e6, 0));
        vm.warp(block.timestamp + WINDOW);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochPublished(
            pool,
            2,
            publisher,
            uint40(block.timestamp) + WINDOW,
            1,
            _manifest(keccak256("root 2"), 600e6, 1)
        );
        assertEq(_publishAs(publisher, _manifest(keccak256("root 2"), 600e6, 1)), 2);
        (, , Epochs.Status status) = epochs.epochOf(pool, 1);
        assertEq(uint8(status), uint8(Epochs.Status.Payable));
        vm.warp(block.timestamp + WINDOW);
        (, , status) = epochs.epochOf(pool, 1);
        assertEq(uint8(status), uint8(Epochs.Status.Superseded));
        assertEq(epochs.payableEpoch(pool), 2);
    }

    function test_Publish_ManyEpochsKeepTheirTimes() external {
        // More epochs than one word of publication times holds.
        uint32 previous;
        for (uint256 i = 1; i <= 14; ++i) {
            previous = _publishAs(publisher, _manifest(keccak256(abi.encode(i)), 100e6 + i, previous));
            (, uint40 publishedAt, ) = epochs.epochOf(pool, previous);
            assertEq(publishedAt, block.timestamp);
            vm.warp(block.timestamp + WINDOW + i);
        }
        (, uint40 first, ) = epochs.epochOf(pool, 1);
        assertEq(first, START);
        (, uint40 seventh, ) = epochs.epochOf(pool, 7);
        assertEq(seventh, START + 6 * uint256(WINDOW) + 21);
    }

    function test_RevertWhen_UnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        vm.prank(publisher);
        epochs.publish(99, _manifest(keccak256("root"), 1, 0));
    }

    function test_RevertWhen_NotPublisher() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotPublisher.selector, pool, admin, publisher));
        _publishAs(admin, _manifest(keccak256("root"), 600e6, 0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ZeroRoot() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRoot.selector, pool));
        _publishAs(publisher, _manifest(bytes32(0), 600e6, 0));
    }

    function test_RevertWhen_Underfunded() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_Underfunded.selector, pool, 1_000e6 + 1, 1_000e6)
        );
        _publishAs(publisher, _manifest(keccak256("root"), 1_000e6 + 1, 0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_Publish_UnderfundedCountsTheFundingNetOfTheFee() external {
        vm.prank(owner);
        vault.setProtocolFee(100, feeRecipient);
        uint256 fresh = _createPool(address(usdc), 0);
        _fund(fresh, 1_000e6);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_Underfunded.selector, fresh, 1_000e6, 990e6));
        vm.prank(publisher);
        epochs.publish(fresh, _manifest(keccak256("root"), 1_000e6, 0));
        vm.prank(publisher);
        epochs.publish(fresh, _manifest(keccak256("root"), 990e6, 0));
    }

    function test_RevertWhen_TotalDecreased() external {
        _publishAs(publisher, _manifest(keccak256("root 1"), 600e6, 0));
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_TotalDecreased.selector, pool, 600e6 - 1, 600e6)
        );
        _publishAs(publisher, _manifest(keccak256("root 2"), 600e6 - 1, 1));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_RootPending() external {
        _publishAs(publisher, _manifest(keccak256("root 1"), 600e6, 0));
        uint40 acceptableAt = uint40(block.timestamp) + WINDOW;
        vm.warp(acceptableAt - 1);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_RootPending.selector, pool, 1, acceptableAt));
        _publishAs(publisher, _manifest(keccak256("root 2"), 700e6, 0));
        assertEq(_stateWord(pool, ID), before);
        // The window is not extended by the refused attempt: at its end the pending root pays.
        vm.warp(acceptableAt);
        assertEq(epochs.payableEpoch(pool), 1);
    }

    function test_RevertWhen_PreviousEpochMismatch() external {
        _publishAs(publisher, _manifest(keccak256("root 1"), 600e6, 0));
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PreviousEpochMismatch.selector, pool, 0, 1));
        _publishAs(publisher, _manifest(keccak256("root 2"), 600e6, 0));
    }

    function test_Publish_AfterAVetoExtendsTheAcceptedEpoch() external {
        _publishAs(publisher, _manifest(keccak256("root 1"), 600e6, 0));
        vm.warp(block.timestamp + WINDOW);
        _publishAs(publisher, _manifest(keccak256("root 2"), 900e6, 1));
        vm.prank(challenger);
        epochs.veto(pool, 2, "wrong");
        // The vetoed total does not bind: the floor is the accepted epoch's, and epoch 3 extends epoch 1.
        assertEq(_publishAs(publisher, _manifest(keccak256("root 3"), 700e6, 1)), 3);
        assertEq(epochs.getPool(pool).payableEpoch, 1);
    }

    function test_RevertWhen_PoolClosed() external {
        vm.warp(block.timestamp + RECLAIM_DELAY);
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, admin);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolClosed.selector, pool));
        _publishAs(publisher, _manifest(keccak256("root"), 0, 0));
    }
}
