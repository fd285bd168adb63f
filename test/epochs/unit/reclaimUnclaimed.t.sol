// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs, Epochs } from "../EpochsBase.t.sol";

contract ReclaimUnclaimed_Unit_Test is EpochsBase {
    uint32 internal epoch1;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
        vm.prank(alice);
        epochs.claim(_claimOf(pool, epoch1, 0), alice);
    }

    function test_Reclaim_TakesWhatIsUnclaimedAndCloses() external {
        (, uint40 publishedAt, ) = epochs.epochOf(pool, epoch1);
        vm.warp(publishedAt + RECLAIM_DELAY);
        uint256 before = usdc.balanceOf(admin);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.UnclaimedReclaimed(pool, admin, admin, 900e6);
        vm.prank(admin);
        assertEq(epochs.reclaimUnclaimed(pool, admin), 900e6);
        assertEq(usdc.balanceOf(admin) - before, 900e6);
        Epochs.PoolState memory state = epochs.getPool(pool);
        assertTrue(state.closed);
        assertEq(state.funded, state.claimed);
        // A claim of what was left now finds the pool closed.
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolClosed.selector, pool));
        vm.prank(alice);
        epochs.claim(_claimOf(pool, epoch1, 1), alice);
    }

    function test_RevertWhen_TooEarly() external {
        (, uint40 publishedAt, ) = epochs.epochOf(pool, epoch1);
        vm.warp(publishedAt + RECLAIM_DELAY - 1);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_ReclaimTooEarly.selector,
                pool,
                uint256(publishedAt) + RECLAIM_DELAY
            )
        );
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, admin);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_ReclaimDisabled() external {
        vm.warp(block.timestamp + 20 * 365 days);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ReclaimDisabled.selector, ethPool));
        vm.prank(admin);
        epochs.reclaimUnclaimed(ethPool, admin);
    }

    function test_RevertWhen_NotPoolAdmin() external {
        vm.warp(block.timestamp + RECLAIM_DELAY);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotPoolAdmin.selector, pool, eve, admin));
        vm.prank(eve);
        epochs.reclaimUnclaimed(pool, eve);
    }

    function test_RevertWhen_ZeroRecipient() external {
        vm.warp(block.timestamp + RECLAIM_DELAY);
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, address(0));
    }

    function test_RevertWhen_AlreadyClosed() external {
        vm.warp(block.timestamp + RECLAIM_DELAY);
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, admin);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolClosed.selector, pool));
        vm.prank(admin);
        epochs.reclaimUnclaimed(pool, admin);
    }

    function test_Reclaim_CountsFromCreationWithoutEpochs() external {
        uint256 fresh = _createPool(address(usdc), RECLAIM_DELAY);
        _fund(fresh, 5e6);
        uint256 createdAt = block.timestamp;
        vm.warp(createdAt + RECLAIM_DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_ReclaimTooEarly.selector, fresh, createdAt + RECLAIM_DELAY)
        );
        vm.prank(admin);
        epochs.reclaimUnclaimed(fresh, admin);
        vm.warp(createdAt + RECLAIM_DELAY);
        vm.prank(admin);
        assertEq(epochs.reclaimUnclaimed(fresh, admin), 5e6);
    }
}
