// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Errors } from "../VaultBase.t.sol";

/// @notice claimBatch (as the author) and claimFor (a keeper's call).
contract ClaimBatch_Unit_Test is VaultBase {
    uint256 internal pool2;

    function setUp() public override {
        super.setUp();
        pool2 = _createPool(address(usdc));
        _register(alice, ID);
        _register(alice, ID2);
        _register(bob, ID3);
        for (uint256 p = 0; p < 2; ++p) {
            uint256 poolId = p == 0 ? pool : pool2;
            _setUnits(poolId, ID, 1);
            _setUnits(poolId, ID2, 1);
            _setUnits(poolId, ID3, 2);
            _deposit(poolId, 4_000e6);
        }
        vm.warp(START + DURATION);
    }

    function _pools() internal view returns (uint256[] memory poolIds) {
        poolIds = new uint256[](2);
        poolIds[0] = pool;
        poolIds[1] = pool2;
    }

    function _lists(bytes32[] memory a) internal pure returns (bytes32[][] memory lists) {
        lists = new bytes32[][](2);
        lists[0] = a;
        lists[1] = a;
    }

    function test_RevertWhen_EmptyBatch() external {
        vm.expectRevert(Errors.RoyaltyVault_EmptyBatch.selector);
        vm.prank(alice);
        vault.claimBatch(new uint256[](0), new bytes32[][](0), alice);
    }

    function test_RevertWhen_EmptyInnerList() external {
        bytes32[][] memory lists = new bytes32[][](2);
        lists[0] = _ids(ID);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_EmptyBatch.selector);
        vm.prank(alice);
        vault.claimBatch(_pools(), lists, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_LengthMismatch() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_LengthMismatch.selector, 2, 1));
        vm.prank(alice);
        vault.claimBatch(_pools(), new bytes32[][](1), alice);
    }

    function test_RevertWhen_BatchTooLarge() external {
        bytes32[][] memory lists = new bytes32[][](2);
        lists[0] = new bytes32[](300);
        lists[1] = new bytes32[](300);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_BatchTooLarge.selector, 600, 512));
        vm.prank(alice);
        vault.claimBatch(_pools(), lists, alice);
    }

    function test_RevertWhen_ZeroRecipient() external {
        vm.expectRevert(Errors.RoyaltyVault_ZeroRecipient.selector);
        vm.prank(alice);
        vault.claimBatch(_pools(), _lists(_ids(ID, ID2)), address(0));
    }

    function test_RevertWhen_OneItemNotAuthors() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotAuthor.selector, ID3, alice, bob));
        vm.prank(alice);
        vault.claimBatch(_pools(), _lists(_ids(ID, ID3)), alice);
        assertEq(_stateWord(pool, ID), before, "the whole batch reverted");
    }

    function test_ClaimBatch_ManyContributionsManyPools() external {
        vm.prank(alice);
        uint256 total = vault.claimBatch(_pools(), _lists(_ids(ID, ID2)), bob);
        assertEq(total, 4_000e6);
        assertEq(usdc.balanceOf(bob), 4_000e6);
        assertEq(vault.claimable(pool, ID), 0);
        assertEq(vault.claimable(pool2, ID2), 0);
    }

    function test_RevertWhen_ClaimForUnregistered() external {
        _setUnits(pool, keccak256("nobody"), 1);
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = _ids(keccak256("nobody"));
        uint256[] memory poolIds = new uint256[](1);
        poolIds[0] = pool;
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotRegistered.selector, keccak256("nobody")));
        vm.prank(keeper);
        vault.claimFor(poolIds, lists);
    }

    function test_ClaimFor_PaysEachAuthor() external {
        bytes32[] memory ids = new bytes32[](3);
        ids[0] = ID;
        ids[1] = ID2;
        ids[2] = ID3;
        vm.prank(keeper);
        vault.claimFor(_pools(), _lists(ids));
        assertEq(usdc.balanceOf(alice), 4_000e6);
        assertEq(usdc.balanceOf(bob), 4_000e6);
        assertEq(usdc.balanceOf(keeper), 0);
    }
}
