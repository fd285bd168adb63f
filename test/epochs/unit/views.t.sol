// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Epochs } from "../EpochsBase.t.sol";

/// @notice leafOf, claimable, canClaim, epochOf and getPool.
contract Views_Unit_Test is EpochsBase {
    uint32 internal epoch1;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
    }

    function test_LeafOf_IsTheSpecsEncoding() external view {
        bytes32 expected = keccak256(
            bytes.concat(keccak256(abi.encode(block.chainid, address(epochs), pool, ID, uint256(7), uint32(2))))
        );
        assertEq(epochs.leafOf(pool, ID, 7, 2), expected);
    }

    function test_Claimable() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        assertEq(epochs.claimable(c), 100e6);
        vm.prank(alice);
        epochs.claim(c, alice);
        assertEq(epochs.claimable(c), 0);
        c = _claimOf(pool, epoch1, 1);
        c.cumulativeAmount += 1;
        assertEq(epochs.claimable(c), 0, "a wrong leaf pays nothing");
        c = _claimOf(pool, epoch1, 1);
        c.epochId = 2;
        assertEq(epochs.claimable(c), 0, "an unknown epoch pays nothing");
    }

    function test_CanClaim() external {
        assertTrue(epochs.canClaim(pool, ID, 1));
        assertFalse(epochs.canClaim(pool, ID4, 1), "unregistered");
        assertFalse(epochs.canClaim(pool, ID, 5), "an epoch never published exposes from zero");
    }

    function test_EpochOf_Statuses() external {
        (, , Epochs.Status status) = epochs.epochOf(pool, 0);
        assertEq(uint8(status), uint8(Epochs.Status.None));
        (, , status) = epochs.epochOf(pool, epoch1);
        assertEq(uint8(status), uint8(Epochs.Status.Payable));
        _fund(pool, 1);
        uint32 epoch2 = _publish(pool, _two(_leaf(ID, 300e6, 1), _leaf(ID2, 300e6 + 1, 1)), epoch1);
        (, , status) = epochs.epochOf(pool, epoch2);
        assertEq(uint8(status), uint8(Epochs.Status.Pending));
        Epochs.PoolState memory state = epochs.getPool(pool);
        assertEq(state.payableEpoch, epoch1);
        assertEq(state.pendingEpoch, epoch2);
        assertEq(state.payableTotal, 600e6);
        vm.warp(block.timestamp + WINDOW);
        state = epochs.getPool(pool);
        assertEq(state.payableEpoch, epoch2);
        assertEq(state.pendingEpoch, 0);
        assertEq(state.payableTotal, 600e6 + 1);
        (, , status) = epochs.epochOf(pool, epoch1);
        assertEq(uint8(status), uint8(Epochs.Status.Superseded));
    }
}
