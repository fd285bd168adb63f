// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, IAttributionEpochs, Epochs } from "../EpochsBase.t.sol";

contract CreatePool_Unit_Test is EpochsBase {
    function test_CreatePool_StoresTheRolesAndEmits() external {
        Epochs.PoolParams memory params = _params(address(usdc), RECLAIM_DELAY);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochPoolCreated(
            3,
            address(usdc),
            admin,
            eve,
            publisher,
            challenger,
            WINDOW,
            RECLAIM_DELAY,
            URI
        );
        vm.prank(eve);
        uint256 poolId = epochs.createPool(params);
        assertEq(poolId, 3);
        assertEq(epochs.poolCount(), 3);
        Epochs.PoolState memory state = epochs.getPool(poolId);
        assertEq(state.token, address(usdc));
        assertEq(state.admin, admin);
        assertEq(state.publisher, publisher);
        assertEq(state.challenger, challenger);
        assertEq(state.challengeWindow, WINDOW);
        assertEq(state.reclaimDelay, RECLAIM_DELAY);
        assertEq(state.createdAt, block.timestamp);
        assertFalse(state.closed);
        assertEq(state.epochCount, 0);
        assertEq(state.payableEpoch, 0);
        assertEq(state.funded, 0);
    }

    function test_RevertWhen_ZeroAdmin() external {
        Epochs.PoolParams memory params = _params(address(usdc), 0);
        params.admin = address(0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRole.selector, bytes32("admin")));
        epochs.createPool(params);
        assertEq(epochs.poolCount(), 2);
    }

    function test_RevertWhen_ZeroPublisher() external {
        Epochs.PoolParams memory params = _params(address(usdc), 0);
        params.publisher = address(0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRole.selector, bytes32("publisher")));
        epochs.createPool(params);
    }

    function test_RevertWhen_ZeroChallenger() external {
        Epochs.PoolParams memory params = _params(address(usdc), 0);
        params.challenger = address(0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_ZeroRole.selector, bytes32("challenger")));
        epochs.createPool(params);
    }

    function test_RevertWhen_ChallengeWindowOutOfRange() external {
        Epochs.PoolParams memory params = _params(address(usdc), 0);
        params.challengeWindow = 1 hours - 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_InvalidChallengeWindow.selector,
                1 hours - 1,
                1 hours,
                30 days
            )
        );
        epochs.createPool(params);
        params.challengeWindow = 30 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_InvalidChallengeWindow.selector,
                30 days + 1,
                1 hours,
                30 days
            )
        );
        epochs.createPool(params);
        assertEq(epochs.poolCount(), 2);
    }

    function test_RevertWhen_ReclaimDelayOutOfRange() external {
        Epochs.PoolParams memory params = _params(address(usdc), 90 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_InvalidReclaimDelay.selector,
                90 days - 1,
                90 days,
                10 * 365 days
            )
        );
        epochs.createPool(params);
        params.reclaimDelay = 10 * 365 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_InvalidReclaimDelay.selector,
                10 * 365 days + 1,
                90 days,
                10 * 365 days
            )
        );
        epochs.createPool(params);
    }

    function test_RevertWhen_TokenNotContract() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_TokenNotContract.selector, eve));
        epochs.createPool(_params(eve, 0));
    }

    function test_RevertWhen_GetPoolOfUnknownPool() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        epochs.getPool(99);
    }
}
