// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { VaultBase, Errors, IPayouts, IRoyaltyVault } from "../VaultBase.t.sol";
import { EthRefuserMock, RevertingReceiverMock, IClaimTarget } from "../../mocks/EthReceiverMocks.sol";

/// @notice claimBatch (as the author) and claimFor (a keeper's call).
contract ClaimBatch_Unit_Test is VaultBase {
    bytes32 internal constant EXPOSED = keccak256("a prompt the pool made public before anyone registered it");

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

    /*//////////////////////////////////////////////////////////////////////////
                                       ESCROW
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The pool makes EXPOSED public; alice reads it in `UnitsSet` and registers it an hour later. Returns the
    /// time of the exposure.
    function _squatExposed() internal returns (uint256 exposedAt) {
        exposedAt = block.timestamp;
        _setUnits(pool, EXPOSED, 1);
        _deposit(pool, 1_000e6);
        vm.warp(exposedAt + 1 hours);
        _register(alice, EXPOSED);
        vm.warp(exposedAt + DURATION);
    }

    /// @dev Her batch claim of it, next to a contribution she may claim, reverts whole.
    function test_RevertWhen_ClaimBatchEscrowUnconfirmed() external {
        uint256 exposedAt = _squatExposed();
        uint256[] memory poolIds = new uint256[](1);
        poolIds[0] = pool;
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = _ids(ID, EXPOSED);
        bytes32 beforeId = _stateWord(pool, ID);
        bytes32 beforeExposed = _stateWord(pool, EXPOSED);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                EXPOSED,
                alice,
                uint40(exposedAt + 1 hours),
                uint40(exposedAt)
            )
        );
        vm.prank(alice);
        vault.claimBatch(poolIds, lists, alice);
        assertEq(_stateWord(pool, ID), beforeId, "the whole batch reverted");
        assertEq(_stateWord(pool, EXPOSED), beforeExposed);
        assertEq(usdc.balanceOf(alice), 0);
    }

    function test_RevertWhen_ClaimForEscrowUnconfirmed() external {
        uint256 exposedAt = _squatExposed();
        uint256[] memory poolIds = new uint256[](1);
        poolIds[0] = pool;
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = new bytes32[](3);
        lists[0][0] = ID3;
        lists[0][1] = EXPOSED;
        lists[0][2] = ID;
        bytes32 before = _stateWord(pool, ID3);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                EXPOSED,
                alice,
                uint40(exposedAt + 1 hours),
                uint40(exposedAt)
            )
        );
        vm.prank(keeper);
        vault.claimFor(poolIds, lists);
        assertEq(_stateWord(pool, ID3), before, "the whole batch reverted");
        assertEq(usdc.balanceOf(bob), 0);
        assertEq(usdc.balanceOf(alice), 0);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      DEFERRAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev An ETH pool where `first`, `second` and, unless zero, `third` hold one unit each and are owed 1 ether each.
    function _ethPoolOwing(bytes32 first, bytes32 second, bytes32 third) internal returns (uint256[] memory poolIds) {
        _setUnits(ethPool, first, 1);
        _setUnits(ethPool, second, 1);
        if (third != bytes32(0)) _setUnits(ethPool, third, 1);
        _deposit(ethPool, third != bytes32(0) ? 3 ether : 2 ether);
        vm.warp(block.timestamp + DURATION);
        poolIds = new uint256[](1);
        poolIds[0] = ethPool;
    }

    /// @dev Changed on purpose: the pool's one transfer to a contract that takes no ETH fails, and each contribution's
    /// share is credited to the author, one `PayoutDeferred` per contribution.
    function test_ClaimBatch_DefersToTheAuthorOncePerContribution() external {
        uint256[] memory poolIds = _ethPoolOwing(ID, ID2, bytes32(0));
        EthRefuserMock refuser = new EthRefuserMock();
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = _ids(ID, ID2);
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, ID, alice, address(0), address(refuser), 1 ether);
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, ID2, alice, address(0), address(refuser), 1 ether);
        vm.recordLogs();
        vm.prank(alice);
        assertEq(vault.claimBatch(poolIds, lists, address(refuser)), 2 ether);
        assertEq(_countLogs(vm.getRecordedLogs(), IPayouts.PayoutDeferred.selector), 2, "one per contribution");
        assertEq(vault.deferredOf(alice, address(0)), 2 ether, "credited to the author");
        assertEq(vault.deferredOf(address(refuser), address(0)), 0, "not to the recipient");

        vm.prank(alice);
        vault.withdrawDeferred(address(0), bob);
        assertEq(bob.balance, 2 ether);
    }

    /// @dev A keeper pays a wallet author whose two contributions share one transfer, which fails: each contribution
    /// is deferred to the wallet on its own; the next author in the list is paid all the same.
    function test_ClaimFor_DefersToTheAuthorOncePerContribution() external {
        RevertingReceiverMock wallet = new RevertingReceiverMock();
        bytes32 w1 = keccak256("wallet's first");
        bytes32 w2 = keccak256("wallet's second");
        _register(address(wallet), w1);
        _register(address(wallet), w2);
        uint256[] memory poolIds = _ethPoolOwing(w1, w2, ID);
        bytes32[][] memory lists = new bytes32[][](1);
        lists[0] = new bytes32[](3);
        lists[0][0] = w1;
        lists[0][1] = w2;
        lists[0][2] = ID;
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, w1, address(wallet), address(0), address(wallet), 1 ether);
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, w2, address(wallet), address(0), address(wallet), 1 ether);
        vm.recordLogs();
        vm.prank(keeper);
        vault.claimFor(poolIds, lists);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(_countLogs(logs, IPayouts.PayoutDeferred.selector), 2, "one per contribution");
        assertEq(_countLogs(logs, IRoyaltyVault.RoyaltiesClaimed.selector), 3);
        assertEq(vault.deferredOf(address(wallet), address(0)), 2 ether);
        assertEq(alice.balance, 1 ether, "the next author is paid");

        wallet.withdrawDeferred(IClaimTarget(address(vault)), address(0), bob);
        assertEq(bob.balance, 2 ether);
    }
}
