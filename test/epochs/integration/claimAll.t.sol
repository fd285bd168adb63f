// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { EpochsBase, Errors, Epochs } from "../EpochsBase.t.sol";

/// @notice One transaction claims an author's epoch pools and vault pools.
contract ClaimAll_Integration_Test is EpochsBase {
    uint32 internal epoch1;
    uint256 internal vaultPool;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
        // A vault pool streaming to alice's ID and ID2.
        vm.prank(admin);
        vaultPool = vault.createPool(address(usdc), admin, 30 days, "ipfs://vault-pool");
        bytes32[] memory ids = new bytes32[](2);
        ids[0] = ID;
        ids[1] = ID2;
        uint256[] memory units = new uint256[](2);
        units[0] = 1;
        units[1] = 1;
        vm.startPrank(admin);
        vault.setUnits(vaultPool, ids, units);
        usdc.approve(address(vault), type(uint256).max);
        vault.deposit(vaultPool, 60e6);
        vm.stopPrank();
        vm.warp(block.timestamp + 30 days);
    }

    function _vaultIds() internal pure returns (uint256[] memory poolIds, bytes32[][] memory ids) {
        poolIds = new uint256[](1);
        ids = new bytes32[][](1);
        ids[0] = new bytes32[](2);
        ids[0][0] = ID;
        ids[0][1] = ID2;
    }

    function test_ClaimAll_EpochsAndVaultInOneTransaction() external {
        (uint256[] memory poolIds, bytes32[][] memory ids) = _vaultIds();
        poolIds[0] = vaultPool;
        Epochs.Claim[] memory claims = _pair(_claimOf(pool, epoch1, 0), _claimOf(pool, epoch1, 1));
        vm.prank(alice);
        uint256 total = epochs.claimAll(claims, alice, poolIds, ids);
        assertEq(total, 300e6);
        assertEq(usdc.balanceOf(alice), 300e6 + 60e6);
        assertEq(vault.claimable(vaultPool, ID), 0);
        assertEq(epochs.positionOf(pool, ID2).claimed, 200e6);
    }

    function test_ClaimAll_OnlyTheVault() external {
        (uint256[] memory poolIds, bytes32[][] memory ids) = _vaultIds();
        poolIds[0] = vaultPool;
        vm.prank(alice);
        assertEq(epochs.claimAll(new Epochs.Claim[](0), address(0), poolIds, ids), 0);
        assertEq(usdc.balanceOf(alice), 60e6);
    }

    function test_ClaimAll_OnlyEpochs() external {
        vm.prank(alice);
        epochs.claimAll(_one(_claimOf(pool, epoch1, 0)), bob, new uint256[](0), new bytes32[][](0));
        assertEq(usdc.balanceOf(bob), 100e6);
    }

    function test_RevertWhen_Empty() external {
        vm.expectRevert(Errors.AttributionEpochs_EmptyBatch.selector);
        vm.prank(alice);
        epochs.claimAll(new Epochs.Claim[](0), alice, new uint256[](0), new bytes32[][](0));
    }

    function test_RevertWhen_ZeroRecipientForEpochs() external {
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        vm.prank(alice);
        epochs.claimAll(_one(_claimOf(pool, epoch1, 0)), address(0), new uint256[](0), new bytes32[][](0));
    }

    function test_RevertWhen_VaultPartFails() external {
        // A vault error reverts the whole call: the epoch claim is undone too.
        (uint256[] memory poolIds, bytes32[][] memory ids) = _vaultIds();
        poolIds[0] = 99;
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(alice);
        epochs.claimAll(_one(_claimOf(pool, epoch1, 0)), alice, poolIds, ids);
        assertEq(epochs.positionOf(pool, ID).claimed, 0);
        assertEq(usdc.balanceOf(alice), 0);
    }
}
