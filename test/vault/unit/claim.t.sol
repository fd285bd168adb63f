// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Vm } from "forge-std/Test.sol";

import { VaultBase, Errors, IPayouts, IRoyaltyVault, Vault } from "../VaultBase.t.sol";
import { BlocklistTokenMock } from "../../mocks/BlocklistTokenMock.sol";
import {
    RevertingReceiverMock,
    ReentrantReceiverMock,
    GasBombReceiverMock,
    EthRefuserMock,
    IClaimTarget
} from "../../mocks/EthReceiverMocks.sol";

contract Claim_Unit_Test is VaultBase {
    function setUp() public override {
        super.setUp();
        _register(alice, ID);
        _setUnits(pool, ID, 1);
        _setUnits(ethPool, ID, 1);
        _deposit(pool, 1_000e6);
        _deposit(ethPool, 1 ether);
        vm.warp(START + DURATION);
    }

    function test_RevertWhen_ZeroRecipient() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(Errors.RoyaltyVault_ZeroRecipient.selector);
        vm.prank(alice);
        vault.claim(pool, ID, address(0));
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_PoolNotFound() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_PoolNotFound.selector, 99));
        vm.prank(alice);
        vault.claim(99, ID, alice);
    }

    function test_RevertWhen_NotRegistered() external {
        _setUnits(pool, ID2, 1);
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotRegistered.selector, ID2));
        vm.prank(alice);
        vault.claim(pool, ID2, alice);
        assertEq(_stateWord(pool, ID2), before);
    }

    function test_RevertWhen_NotAuthor() external {
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NotAuthor.selector, ID, eve, alice));
        vm.prank(eve);
        vault.claim(pool, ID, eve);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_RevertWhen_NothingToClaim() external {
        vm.prank(alice);
        vault.claim(pool, ID, alice);
        bytes32 before = _stateWord(pool, ID);
        vm.expectRevert(abi.encodeWithSelector(Errors.RoyaltyVault_NothingToClaim.selector, pool, ID));
        vm.prank(alice);
        vault.claim(pool, ID, alice);
        assertEq(_stateWord(pool, ID), before);
    }

    function test_Claim_PaysRecipient() external {
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.RoyaltiesClaimed(pool, ID, alice, bob, 1_000e6, 1_000e6 * SCALE, 0);
        vm.prank(alice);
        uint256 amount = vault.claim(pool, ID, bob);
        assertEq(amount, 1_000e6);
        assertEq(usdc.balanceOf(bob), 1_000e6);
        assertEq(vault.claimable(pool, ID), 0);
    }

    function test_Claim_WorksWhilePaused() external {
        vm.prank(owner);
        vault.pause();
        vm.prank(alice);
        assertEq(vault.claim(pool, ID, alice), 1_000e6);
    }

    /// @dev Changed on purpose: a record made after the pool gave the unregistered hash units (anyone could have
    /// read the hash by then) claims the escrow only once the pool's admin confirms it.
    function test_Claim_LateRegistrationClaimsEscrowOnceConfirmed() external {
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(START + 2 * DURATION);
        uint256 escrowed = vault.claimable(pool, ID2);
        assertGt(escrowed, 0);
        _register(bob, ID2);
        vm.expectPartialRevert(Errors.RoyaltyVault_EscrowUnconfirmed.selector);
        vm.prank(bob);
        vault.claim(pool, ID2, bob);

        vm.prank(admin);
        vault.confirmAuthor(pool, ID2, bob);
        vm.prank(bob);
        assertEq(vault.claim(pool, ID2, bob), escrowed);
    }

    function test_Claim_Eth() external {
        vm.prank(alice);
        vault.claim(ethPool, ID, alice);
        assertEq(alice.balance, 1 ether);
    }

    function test_Claim_RevertingReceiverDefers() external {
        RevertingReceiverMock wallet = new RevertingReceiverMock();
        _register(address(wallet), ID2);
        _setUnits(ethPool, ID2, 1);
        _deposit(ethPool, 1 ether);
        vm.warp(START + 2 * DURATION);
        uint256 owed = vault.claimable(ethPool, ID2);
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, ID2, address(wallet), address(0), address(wallet), owed);
        wallet.claim(IClaimTarget(address(vault)), ethPool, ID2, address(wallet));
        assertEq(vault.deferredOf(address(wallet), address(0)), owed);
        assertEq(vault.tokenTotals(address(0)).deferredOwed, owed);
        // It withdraws to another wallet.
        wallet.withdrawDeferred(IClaimTarget(address(vault)), address(0), bob);
        assertEq(bob.balance, owed);
        assertEq(vault.deferredOf(address(wallet), address(0)), 0);
    }

    function test_Claim_ReentrantReceiverDefers() external {
        ReentrantReceiverMock wallet = new ReentrantReceiverMock();
        _register(address(wallet), ID2);
        _setUnits(ethPool, ID2, 1);
        _deposit(ethPool, 1 ether);
        vm.warp(START + 2 * DURATION);
        uint256 owed = vault.claimable(ethPool, ID2);
        wallet.claim(IClaimTarget(address(vault)), ethPool, ID2);
        assertEq(vault.deferredOf(address(wallet), address(0)), owed, "re-entry refused, payout deferred");
        assertEq(vault.claimable(ethPool, ID2), 0);
    }

    function test_Claim_GasBombReceiverDefers() external {
        GasBombReceiverMock wallet = new GasBombReceiverMock();
        _register(address(wallet), ID2);
        _setUnits(ethPool, ID2, 1);
        _deposit(ethPool, 1 ether);
        vm.warp(START + 2 * DURATION);
        uint256 owed = vault.claimable(ethPool, ID2);
        uint256 gasBefore = gasleft();
        wallet.claim(IClaimTarget(address(vault)), ethPool, ID2, address(wallet));
        assertLt(gasBefore - gasleft(), 200_000, "bounded cost");
        assertEq(vault.deferredOf(address(wallet), address(0)), owed);
    }

    function test_Claim_BlocklistedRecipientDefers() external {
        BlocklistTokenMock token = new BlocklistTokenMock();
        uint256 blPool = _createPool(address(token));
        token.mint(admin, 1e12);
        vm.prank(admin);
        token.approve(address(vault), type(uint256).max);
        _setUnits(blPool, ID, 1);
        _deposit(blPool, 1e9);
        vm.warp(START + 2 * DURATION);
        token.setBlocklisted(alice, true);
        vm.prank(alice);
        vault.claim(blPool, ID, alice);
        assertEq(vault.deferredOf(alice, address(token)), 1e9);
        // The blocklisted author withdraws to a clean wallet.
        vm.prank(alice);
        vault.withdrawDeferred(address(token), bob);
        assertEq(token.balanceOf(bob), 1e9);
    }

    function test_RevertWhen_InsufficientGasForEthPayout() external {
        vm.expectPartialRevert(Errors.Payouts_InsufficientGas.selector);
        vm.prank(alice);
        vault.claim{ gas: 70_000 }(ethPool, ID, alice);
        assertEq(vault.claimable(ethPool, ID), 1 ether);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                       ESCROW
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The attack: the provider gives units to a hash nobody registered; eve reads it in `UnitsSet`, registers it
    /// and claims. Her record is younger than the exposure and nobody confirmed it.
    function test_RevertWhen_EscrowUnconfirmed() external {
        uint256 exposedAt = block.timestamp;
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(exposedAt + 1 hours);
        _register(eve, ID2);
        vm.warp(exposedAt + DURATION);
        assertGt(vault.claimable(pool, ID2), 0);
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                ID2,
                eve,
                uint40(exposedAt + 1 hours),
                uint40(exposedAt)
            )
        );
        vm.prank(eve);
        vault.claim(pool, ID2, eve);
        assertEq(_stateWord(pool, ID2), before);
        assertEq(usdc.balanceOf(eve), 0);
    }

    /// @dev Strictly before: a copy registered in the very block of the exposure, behind it, is not older.
    function test_RevertWhen_EscrowRegisteredInTheBlockOfExposure() external {
        _setUnits(pool, ID2, 1);
        _register(eve, ID2);
        _deposit(pool, 1_000e6);
        vm.warp(block.timestamp + DURATION);
        bytes32 before = _stateWord(pool, ID2);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.RoyaltyVault_EscrowUnconfirmed.selector,
                pool,
                ID2,
                eve,
                uint40(START + DURATION),
                uint40(START + DURATION)
            )
        );
        vm.prank(eve);
        vault.claim(pool, ID2, eve);
        assertEq(_stateWord(pool, ID2), before);
    }

    /// @dev Bob committed while the hash was private, the pool exposed it, then bob revealed: his record is dated
    /// at the commitment, before the exposure, and claims without anyone's confirmation.
    function test_Claim_EscrowOfACommitmentMadeBeforeExposure() external {
        _commit(bob, ID2);
        vm.warp(block.timestamp + 1 hours);
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(block.timestamp + 1 hours);
        _reveal(bob, ID2);
        vm.warp(block.timestamp + DURATION);
        uint256 owed = vault.claimable(pool, ID2);
        assertGt(owed, 0);
        vm.prank(bob);
        assertEq(vault.claim(pool, ID2, bob), owed);
        assertEq(usdc.balanceOf(bob), owed);
    }

    /// @dev An attester anchored bob's leaf before the exposure; anyone materializes it after: dated at the anchor.
    function test_Claim_EscrowOfAnAnchorMadeBeforeExposure() external {
        (bytes32 root, bytes32[] memory proof) = _anchor(bob, ID2);
        vm.warp(block.timestamp + 1 days);
        _setUnits(pool, ID2, 1);
        _deposit(pool, 1_000e6);
        vm.warp(block.timestamp + DURATION);
        _materialize(root, bob, ID2, proof);
        uint256 owed = vault.claimable(pool, ID2);
        vm.prank(bob);
        assertEq(vault.claim(pool, ID2, bob), owed);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      DEFERRAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Changed on purpose: the payout to a contract that takes no ETH (and could never withdraw a credit) waits
    /// for the author, who withdraws it elsewhere.
    function test_Claim_DefersToTheAuthorWhenTheRecipientRefuses() external {
        EthRefuserMock refuser = new EthRefuserMock();
        vm.expectEmit(address(vault));
        emit IRoyaltyVault.RoyaltiesClaimed(ethPool, ID, alice, address(refuser), 1 ether, 1 ether * SCALE, 0);
        vm.expectEmit(address(vault));
        emit IPayouts.PayoutDeferred(ethPool, ID, alice, address(0), address(refuser), 1 ether);
        vm.prank(alice);
        assertEq(vault.claim(ethPool, ID, address(refuser)), 1 ether);
        assertEq(vault.deferredOf(alice, address(0)), 1 ether, "credited to the author");
        assertEq(vault.deferredOf(address(refuser), address(0)), 0, "not to the recipient");
        assertEq(vault.tokenTotals(address(0)).deferredOwed, 1 ether);
        assertEq(address(refuser).balance, 0);

        vm.prank(alice);
        vault.withdrawDeferred(address(0), bob);
        assertEq(bob.balance, 1 ether);
        assertEq(vault.tokenTotals(address(0)).deferredOwed, 0);
    }

    /// @dev Changed on purpose: the same for a token recipient that the token refuses.
    function test_Claim_DefersToTheAuthorWhenTheRecipientIsBlocklisted() external {
        BlocklistTokenMock token = new BlocklistTokenMock();
        uint256 blPool = _createPool(address(token));
        token.mint(admin, 1e12);
        vm.prank(admin);
        token.approve(address(vault), type(uint256).max);
        _setUnits(blPool, ID, 1);
        _deposit(blPool, 1e9);
        vm.warp(block.timestamp + DURATION);
        token.setBlocklisted(bob, true);
        vm.prank(alice);
        vault.claim(blPool, ID, bob);
        assertEq(vault.deferredOf(alice, address(token)), 1e9, "credited to the author");
        assertEq(vault.deferredOf(bob, address(token)), 0, "not to the blocklisted recipient");
        vm.prank(alice);
        vault.withdrawDeferred(address(token), alice);
        assertEq(token.balanceOf(alice), 1e9);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                       EVENTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev `RoyaltiesClaimed` states the position it leaves: its snapshot (the pool's accumulator now) and the
    /// fraction it keeps, as `positionOf` and `getPool` read them right after.
    function test_Claim_EventStatesThePositionItLeaves() external {
        _setUnits(pool, ID, 3);
        _deposit(pool, 1_000e6);
        vm.warp(block.timestamp + 1 days + 17);
        vm.recordLogs();
        vm.prank(alice);
        uint256 amount = vault.claim(pool, ID, bob);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        (address recipient, uint256 claimed, uint256 accPerUnit, uint256 fraction) = abi.decode(
            _lastLogData(logs, IRoyaltyVault.RoyaltiesClaimed.selector),
            (address, uint256, uint256, uint256)
        );
        (Vault.Position memory position, uint256 accrued) = vault.positionOf(pool, ID);
        assertEq(recipient, bob, "recipient");
        assertEq(claimed, amount, "amount");
        assertEq(accPerUnit, position.accPerUnitPaid, "snapshot");
        assertEq(accPerUnit, vault.getPool(pool).accPerUnit, "the pool's accumulator now");
        assertEq(fraction, position.fraction, "fraction");
        assertGt(fraction, 0, "a sub-unit fraction is kept");
        assertEq(vault.owedScaled(pool, ID), fraction, "the fraction is all that is left");
        assertEq(accrued, 0, "accrued");
        assertFalse(position.hasAccrued, "hasAccrued");
        assertEq(position.units, 3, "units");
    }
}
