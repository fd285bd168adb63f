// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { EpochsBase, Errors, IAttributionEpochs, Epochs } from "../EpochsBase.t.sol";
import { BlocklistTokenMock } from "../../mocks/BlocklistTokenMock.sol";

/// @notice claimBatch (as the author) and claimFor (a keeper's call).
contract ClaimBatch_Unit_Test is EpochsBase {
    uint32 internal epoch1;
    uint256 internal pool2;
    BlocklistTokenMock internal busd;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
        busd = new BlocklistTokenMock();
        busd.mint(admin, 1e12);
        vm.prank(admin);
        busd.approve(address(epochs), type(uint256).max);
        pool2 = _createPool(address(busd), 0);
        _fund(pool2, 1_000e6);
        _publish(pool2, _three(_leaf(ID, 10e6, 1), _leaf(ID2, 20e6, 1), _leaf(ID3, 30e6, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
    }

    /// @dev The claims of alice's ID and ID2 in the USDC pool and of ID in the BUSD pool.
    function _alices() internal returns (Epochs.Claim[] memory claims) {
        claims = new Epochs.Claim[](3);
        claims[0] = _claimOf(pool2, 1, 0);
        claims[1] = _claimOf(pool2, 1, 1);
        _build(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)));
        claims[2] = _claimOf(pool, epoch1, 0);
    }

    function test_ClaimBatch_PaysEveryClaimOneTransferPerRun() external {
        Epochs.Claim[] memory claims = _alices();
        vm.recordLogs();
        vm.prank(alice);
        uint256 total = epochs.claimBatch(claims, bob);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(total, 10e6 + 20e6 + 100e6);
        assertEq(busd.balanceOf(bob), 30e6);
        assertEq(usdc.balanceOf(bob), 100e6);
        assertEq(_countLogs(logs, IAttributionEpochs.EpochClaimed.selector), 3);
        uint256 transfers;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == keccak256("Transfer(address,address,uint256)")) ++transfers;
        }
        assertEq(transfers, 2, "one transfer per pool run");
    }

    function test_ClaimBatch_DefersAFailedRunToTheAuthor() external {
        busd.setBlocklisted(bob, true);
        Epochs.Claim[] memory claims = _alices();
        vm.prank(alice);
        epochs.claimBatch(claims, bob);
        // The BUSD run is deferred, the USDC run paid.
        assertEq(epochs.deferredOf(alice, address(busd)), 30e6);
        assertEq(usdc.balanceOf(bob), 100e6);
    }

    function test_RevertWhen_EmptyBatch() external {
        vm.expectRevert(Errors.AttributionEpochs_EmptyBatch.selector);
        vm.prank(alice);
        epochs.claimBatch(new Epochs.Claim[](0), alice);
        vm.expectRevert(Errors.AttributionEpochs_EmptyBatch.selector);
        epochs.claimFor(new Epochs.Claim[](0));
    }

    function test_RevertWhen_BatchTooLarge() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_BatchTooLarge.selector, 257, 256));
        vm.prank(alice);
        epochs.claimBatch(new Epochs.Claim[](257), alice);
    }

    function test_RevertWhen_ZeroRecipient() external {
        Epochs.Claim[] memory claims = _alices();
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        vm.prank(alice);
        epochs.claimBatch(claims, address(0));
    }

    function test_RevertWhen_OneItemIsBad() external {
        // A bad item reverts the whole batch: nothing is claimed half.
        Epochs.Claim[] memory claims = _alices();
        claims[2].cumulativeAmount += 1;
        bytes32 before = _stateWord(pool2, ID);
        vm.expectPartialRevert(Errors.AttributionEpochs_InvalidProof.selector);
        vm.prank(alice);
        epochs.claimBatch(claims, alice);
        assertEq(_stateWord(pool2, ID), before);
    }

    function test_RevertWhen_AnItemIsAnotherAuthors() external {
        Epochs.Claim[] memory claims = _pair(_claimOf(pool, epoch1, 0), _claimOf(pool, epoch1, 0));
        _build(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)));
        claims[0] = _claimOf(pool, epoch1, 0);
        claims[1] = _claimOf(pool, epoch1, 2);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotAuthor.selector, ID3, alice, bob));
        vm.prank(alice);
        epochs.claimBatch(claims, alice);
    }

    function test_ClaimFor_PaysEachAuthor() external {
        _build(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)));
        Epochs.Claim[] memory claims = new Epochs.Claim[](3);
        claims[0] = _claimOf(pool, epoch1, 0);
        claims[1] = _claimOf(pool, epoch1, 1);
        claims[2] = _claimOf(pool, epoch1, 2);
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochClaimed(pool, ID, alice, epoch1, alice, 100e6, 100e6, 100e6);
        vm.prank(keeper);
        epochs.claimFor(claims);
        assertEq(usdc.balanceOf(alice), 300e6);
        assertEq(usdc.balanceOf(bob), 300e6);
        assertEq(usdc.balanceOf(keeper), 0);
    }

    function test_ClaimFor_OneBadPayeeNeverRevertsTheOthers() external {
        busd.setBlocklisted(alice, true);
        Epochs.Claim[] memory claims = new Epochs.Claim[](3);
        claims[0] = _claimOf(pool2, 1, 0);
        claims[1] = _claimOf(pool2, 1, 2);
        claims[2] = _claimOf(pool2, 1, 1);
        vm.prank(keeper);
        epochs.claimFor(claims);
        assertEq(busd.balanceOf(bob), 30e6);
        assertEq(epochs.deferredOf(alice, address(busd)), 30e6);
        assertEq(busd.balanceOf(alice), 0);
    }

    function test_RevertWhen_ClaimForUnregistered() external {
        uint256 fresh = _createPool(address(usdc), 0);
        _fund(fresh, 100e6);
        uint32 epochId = _publish(fresh, _two(_leaf(ID, 10e6, 1), _leaf(ID4, 20e6, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(fresh, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotRegistered.selector, ID4));
        vm.prank(keeper);
        epochs.claimFor(_pair(_claimOf(fresh, epochId, 0), _claimOf(fresh, epochId, 1)));
        assertEq(_stateWord(fresh, ID), before);
    }
}
