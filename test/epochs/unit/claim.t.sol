// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import { EpochsBase, Errors, IAttributionEpochs, IPayouts, Epochs } from "../EpochsBase.t.sol";
import { BlocklistTokenMock } from "../../mocks/BlocklistTokenMock.sol";
import { RevertingReceiverMock, GasBombReceiverMock } from "../../mocks/EthReceiverMocks.sol";

contract Claim_Unit_Test is EpochsBase {
    uint32 internal epoch1;

    function setUp() public override {
        super.setUp();
        epoch1 = _firstEpochPaying();
    }

    function _claimAs(address caller, Epochs.Claim memory c, address to) internal returns (uint256 amount) {
        vm.prank(caller);
        amount = epochs.claim(c, to);
    }

    function test_Claim_PaysTheLeafToTheAuthor() external {
        vm.expectEmit(address(epochs));
        emit IAttributionEpochs.EpochClaimed(pool, ID, alice, epoch1, alice, 100e6, 100e6, 100e6);
        uint256 amount = _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        assertEq(amount, 100e6);
        assertEq(usdc.balanceOf(alice), 100e6);
        assertEq(epochs.positionOf(pool, ID).claimed, 100e6);
        assertEq(epochs.getPool(pool).claimed, 100e6);
    }

    function test_Claim_PaysANamedRecipient() external {
        _claimAs(alice, _claimOf(pool, epoch1, 1), bob);
        assertEq(usdc.balanceOf(bob), 200e6);
        assertEq(usdc.balanceOf(alice), 0);
    }

    function test_Claim_PaysOnlyTheDifferenceOfALaterEpoch() external {
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 250e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), epoch1);
        vm.warp(block.timestamp + WINDOW);
        assertEq(_claimAs(alice, _claimOf(pool, epoch2, 0), alice), 150e6);
        assertEq(usdc.balanceOf(alice), 250e6);
    }

    function test_Claim_TheAuthorAtClaimTimeAfterATransfer() external {
        vm.prank(alice);
        registry.transferAuthorship(ID, bob);
        vm.prank(bob);
        registry.acceptAuthorship(ID);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotAuthor.selector, ID, alice, bob));
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        assertEq(_stateWord(pool, ID), before);
        _claimAs(bob, _claimOf(pool, epoch1, 0), bob);
        assertEq(usdc.balanceOf(bob), 100e6);
    }

    function test_RevertWhen_ZeroRecipient() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.AttributionEpochs_ZeroRecipient.selector);
        _claimAs(alice, _claimOf(pool, epoch1, 0), address(0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_UnknownPool() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        c.poolId = 99;
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_PoolNotFound.selector, 99));
        _claimAs(alice, c, alice);
    }

    function test_RevertWhen_UnknownEpoch() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        c.epochId = 7;
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_UnknownEpoch.selector, pool, 7));
        _claimAs(alice, c, alice);
        c.epochId = 0;
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_UnknownEpoch.selector, pool, 0));
        _claimAs(alice, c, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_WrongProof() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        c.proof[0] = keccak256("not a sibling");
        bytes32 leaf = epochs.leafOf(pool, ID, 100e6, 1);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_InvalidProof.selector, pool, epoch1, ID, leaf));
        _claimAs(alice, c, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_AmountAboveTheLeaf() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        c.cumulativeAmount = 100e6 + 1;
        bytes32 leaf = epochs.leafOf(pool, ID, 100e6 + 1, 1);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_InvalidProof.selector, pool, epoch1, ID, leaf));
        _claimAs(alice, c, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_FirstEpochOtherThanTheLeaf() external {
        Epochs.Claim memory c = _claimOf(pool, epoch1, 0);
        c.firstEpoch = 0;
        bytes32 leaf = epochs.leafOf(pool, ID, 100e6, 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_InvalidProof.selector, pool, epoch1, ID, leaf));
        _claimAs(alice, c, alice);
    }

    function test_RevertWhen_LeafOfAnotherPool() external {
        // The same values in another pool (same root published there) hash to another leaf: domain separation.
        uint256 other = _createPool(address(usdc), 0);
        _fund(other, 1_000e6);
        (bytes32 root, uint256 total) = _build(
            pool,
            _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1))
        );
        vm.prank(publisher);
        epochs.publish(other, _manifest(root, total, 0));
        vm.warp(block.timestamp + WINDOW);
        Epochs.Claim memory c = _claimOf(pool, 1, 0);
        c.poolId = other;
        bytes32 leaf = epochs.leafOf(other, ID, 100e6, 1);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_InvalidProof.selector, other, 1, ID, leaf));
        _claimAs(alice, c, alice);
    }

    function test_RevertWhen_InternalNodeAsLeaf() external {
        // The node over leaves 0 and 1 verifies with the rest of leaf 0's proof: a contract that took leaf hashes, or
        // hashed the values once, could be fooled into paying it. Here a claim gives values, which are hashed twice,
        // so no values reach that node; the claim that tries the shortened proof fails.
        bytes32[] memory full = _proof(pool, 0);
        bytes32[] memory shortened = new bytes32[](full.length - 1);
        for (uint256 i = 1; i < full.length; ++i) shortened[i - 1] = full[i];
        bytes32 node = Hashes.commutativeKeccak256(_levels[pool][0][0], _levels[pool][0][1]);
        (bytes32 root, , ) = epochs.epochOf(pool, epoch1);
        assertTrue(MerkleProof.verify(shortened, root, node), "the node is in the tree");
        // The 64 bytes under the node, read as a claim's values: the contribution id and amount are its two children.
        Epochs.Claim memory c = Epochs.Claim({
            poolId: pool,
            epochId: epoch1,
            contributionId: _levels[pool][0][0],
            cumulativeAmount: uint256(_levels[pool][0][1]),
            firstEpoch: 1,
            proof: shortened
        });
        bytes32 leaf = epochs.leafOf(pool, c.contributionId, c.cumulativeAmount, 1);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_InvalidProof.selector, pool, epoch1, c.contributionId, leaf)
        );
        _claimAs(alice, c, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_BeforeTheWindow() external {
        _register(alice, ID4);
        vm.warp(block.timestamp + 1);
        uint256 fresh = _createPool(address(usdc), 0);
        _fund(fresh, 10e6);
        uint32 epochId = _publish(fresh, _two(_leaf(ID4, 5e6, 1), _leaf(ID, 5e6, 1)), 0);
        uint40 acceptableAt = uint40(block.timestamp) + WINDOW;
        vm.warp(acceptableAt - 1);
        bytes32 before = _stateWord(fresh, ID4);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_ChallengeWindowOpen.selector, fresh, epochId, acceptableAt)
        );
        _claimAs(alice, _claimOf(fresh, epochId, 0), alice);
        assertEq(_stateWord(fresh, ID4), before);
        vm.warp(acceptableAt);
        assertEq(_claimAs(alice, _claimOf(fresh, epochId, 0), alice), 5e6);
    }

    function test_TheLongestWindowIsKeptWhole() external {
        // The window shares the pool's first slot in 32 bits; the longest one allowed still pays only once it passed.
        _register(alice, ID4);
        vm.warp(block.timestamp + 1);
        Epochs.PoolParams memory params = _params(address(usdc), 0);
        params.challengeWindow = uint40(epochs.MAX_CHALLENGE_WINDOW());
        vm.prank(admin);
        uint256 fresh = epochs.createPool(params);
        assertEq(epochs.getPool(fresh).challengeWindow, 30 days);
        _fund(fresh, 10e6);
        uint32 epochId = _publish(fresh, _two(_leaf(ID4, 5e6, 1), _leaf(ID, 5e6, 1)), 0);
        uint40 acceptableAt = uint40(block.timestamp) + 30 days;
        vm.warp(acceptableAt - 1);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_ChallengeWindowOpen.selector, fresh, epochId, acceptableAt)
        );
        _claimAs(alice, _claimOf(fresh, epochId, 0), alice);
        vm.warp(acceptableAt);
        assertEq(_claimAs(alice, _claimOf(fresh, epochId, 0), alice), 5e6);
    }

    function test_PreviousRootKeepsPayingDuringTheWindow() external {
        _fund(pool, 500e6);
        _publish(pool, _three(_leaf(ID, 400e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), epoch1);
        // The old tree's proof still pays, against epoch 1, while epoch 2 is in its window.
        (bytes32 root1, , ) = epochs.epochOf(pool, epoch1);
        (bytes32 rootBuilt, ) = _build(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)));
        assertEq(rootBuilt, root1);
        assertEq(_claimAs(alice, _claimOf(pool, epoch1, 0), alice), 100e6);
    }

    function test_RevertWhen_SupersededEpoch() external {
        _fund(pool, 500e6);
        Leaf[] memory first = _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1));
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 400e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), epoch1);
        vm.warp(block.timestamp + WINDOW);
        _build(pool, first);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_EpochSuperseded.selector, pool, epoch1, epoch2)
        );
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_VetoedRoot() external {
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 400e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID3, 300e6, 1)), epoch1);
        vm.prank(challenger);
        epochs.veto(pool, epoch2, "ID's usage double counted");
        vm.warp(block.timestamp + 10 * WINDOW);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_EpochVetoed.selector, pool, epoch2));
        _claimAs(alice, _claimOf(pool, epoch2, 0), alice);
        assertEq(_stateWord(pool, ID), before);
        assertEq(epochs.payableEpoch(pool), epoch1);
    }

    function test_RevertWhen_NotRegistered() external {
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID4, 300e6, 2)), epoch1);
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(pool, ID4);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotRegistered.selector, ID4));
        _claimAs(alice, _claimOf(pool, epoch2, 2), alice);
        assertEq(_stateWord(pool, ID4), before);
    }

    function test_RevertWhen_NotAuthor() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NotAuthor.selector, ID, eve, alice));
        _claimAs(eve, _claimOf(pool, epoch1, 0), eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_NothingToClaim() external {
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.AttributionEpochs_NothingToClaim.selector, pool, ID, 100e6));
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_EscrowUnconfirmed() external {
        // ID4 is named by epoch 2's leaf file before anyone registered it; eve reads the file and registers it.
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID4, 300e6, 2)), epoch1);
        (, uint40 publishedAt, ) = epochs.epochOf(pool, epoch2);
        _register(eve, ID4);
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(pool, ID4);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AttributionEpochs_EscrowUnconfirmed.selector,
                pool,
                ID4,
                eve,
                uint40(publishedAt),
                publishedAt
            )
        );
        _claimAs(eve, _claimOf(pool, epoch2, 2), eve);
        assertEq(_stateWord(pool, ID4), before);
        assertFalse(epochs.canClaim(pool, ID4, 2));
    }

    function test_Claim_EscrowConfirmedByTheAdmin() external {
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID4, 300e6, 2)), epoch1);
        vm.warp(block.timestamp + 1);
        _register(bob, ID4);
        vm.prank(admin);
        epochs.confirmAuthor(pool, ID4, bob);
        vm.warp(block.timestamp + WINDOW);
        assertTrue(epochs.canClaim(pool, ID4, 2));
        assertEq(_claimAs(bob, _claimOf(pool, epoch2, 2), bob), 300e6);
    }

    function test_Claim_RecordOlderThanTheFirstEpochPays() external {
        // Registered before epoch 2 was published: the leaf's first epoch is 2, the record is older.
        _register(bob, ID4);
        vm.warp(block.timestamp + 1);
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID4, 300e6, 2)), epoch1);
        vm.warp(block.timestamp + WINDOW);
        assertEq(_claimAs(bob, _claimOf(pool, epoch2, 2), bob), 300e6);
    }

    function test_RevertWhen_RecordInTheBlockOfTheExposure() external {
        // Strictly before: a record dated in the very second of the publication is not older than it.
        _fund(pool, 500e6);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1), _leaf(ID4, 300e6, 2)), epoch1);
        _register(bob, ID4);
        vm.warp(block.timestamp + WINDOW);
        vm.expectPartialRevert(Errors.AttributionEpochs_EscrowUnconfirmed.selector);
        _claimAs(bob, _claimOf(pool, epoch2, 2), bob);
    }

    function test_RevertWhen_PoolOverdrawn() external {
        // A root that moved ID3's amount to ID2 passed unvetoed: ID3 claimed 300 under epoch 1, so ID2's 700 under
        // epoch 2 would take the pool's claims past the 1,000 it was funded.
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        _claimAs(bob, _claimOf(pool, epoch1, 2), bob);
        uint32 epoch2 = _publish(pool, _three(_leaf(ID, 100e6, 1), _leaf(ID2, 700e6, 1), _leaf(ID3, 200e6, 1)), epoch1);
        vm.warp(block.timestamp + WINDOW);
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AttributionEpochs_PoolOverdrawn.selector, pool, 1_100e6, 1_000e6)
        );
        _claimAs(alice, _claimOf(pool, epoch2, 1), alice);
        assertEq(_stateWord(pool, ID2), before);
    }

    function test_Claim_DefersAFailedTokenPayout() external {
        BlocklistTokenMock busd = new BlocklistTokenMock();
        busd.mint(admin, 1e12);
        vm.prank(admin);
        busd.approve(address(epochs), type(uint256).max);
        uint256 busdPool = _createPool(address(busd), 0);
        _fund(busdPool, 1_000e6);
        uint32 epochId = _publish(busdPool, _two(_leaf(ID, 100e6, 1), _leaf(ID2, 200e6, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
        busd.setBlocklisted(bob, true);
        vm.expectEmit(address(epochs));
        emit IPayouts.PayoutDeferred(busdPool, ID, alice, address(busd), bob, 100e6);
        _claimAs(alice, _claimOf(busdPool, epochId, 0), bob);
        assertEq(epochs.deferredOf(alice, address(busd)), 100e6);
        assertEq(epochs.deferredOf(bob, address(busd)), 0);
        vm.prank(alice);
        epochs.withdrawDeferred(address(busd), alice);
        assertEq(busd.balanceOf(alice), 100e6);
    }

    function test_Claim_EthPaysAndDefersAGasBomb() external {
        GasBombReceiverMock bomb = new GasBombReceiverMock();
        _fund(ethPool, 3 ether);
        uint32 epochId = _publish(ethPool, _two(_leaf(ID, 1 ether, 1), _leaf(ID2, 2 ether, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
        _claimAs(alice, _claimOf(ethPool, epochId, 0), alice);
        assertEq(alice.balance, 1 ether);
        _claimAs(alice, _claimOf(ethPool, epochId, 1), address(bomb));
        assertEq(address(bomb).balance, 0);
        assertEq(epochs.deferredOf(alice, address(0)), 2 ether);
    }

    function test_RevertWhen_EthPayoutStarved() external {
        // Whatever gas a caller gives, a claim either pays the receiver in full or reverts: never a deferral forced by
        // starving the payout.
        RevertingReceiverMock receiver = new RevertingReceiverMock();
        receiver.setRefuse(false);
        _fund(ethPool, 3 ether);
        uint32 epochId = _publish(ethPool, _two(_leaf(ID, 1 ether, 1), _leaf(ID2, 2 ether, 1)), 0);
        vm.warp(block.timestamp + WINDOW);
        Epochs.Claim memory c = _claimOf(ethPool, epochId, 0);
        bytes memory call = abi.encodeCall(IAttributionEpochs.claim, (c, address(receiver)));
        bool sawInsufficientGas;
        for (uint256 gas = 40_000; gas < 300_000; gas += 1_000) {
            vm.prank(alice);
            (bool ok, bytes memory data) = address(epochs).call{ gas: gas }(call);
            if (!ok) {
                if (data.length >= 4 && bytes4(data) == Errors.Payouts_InsufficientGas.selector) {
                    sawInsufficientGas = true;
                }
                assertEq(epochs.positionOf(ethPool, ID).claimed, 0);
                continue;
            }
            assertEq(address(receiver).balance, 1 ether, "paid in full");
            assertEq(epochs.deferredOf(alice, address(0)), 0, "never deferred");
            break;
        }
        assertTrue(sawInsufficientGas, "the gas check was reached");
    }

    function test_Claim_EmitsOneEvent() external {
        vm.recordLogs();
        _claimAs(alice, _claimOf(pool, epoch1, 0), alice);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(_countLogs(logs, IAttributionEpochs.EpochClaimed.selector), 1);
        assertEq(_countLogs(logs, IPayouts.PayoutDeferred.selector), 0);
    }
}
