// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";

import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../contracts/RoyaltyVault.sol";
import { Vault } from "../../contracts/types/VaultTypes.sol";
import { ERC20Mock } from "../mocks/ERC20Mock.sol";
import { FeeOnTransferTokenMock } from "../mocks/FeeOnTransferTokenMock.sol";
import { HugeSupplyTokenMock } from "../mocks/HugeSupplyTokenMock.sol";
import { VaultHandler } from "./handlers/VaultHandler.sol";

/// @notice The RoyaltyVault's invariants, each described in words in test/invariant/README.md.
contract RoyaltyVault_Invariant_Test is Test {
    uint256 internal constant SCALE = 1e9;

    AuthorshipRegistry internal registry;
    RoyaltyVault internal vault;
    VaultHandler internal handler;
    address[] internal distinctTokens;

    function setUp() public {
        vm.warp(1_750_000_000);
        address owner = makeAddr("owner");
        registry = new AuthorshipRegistry(owner);
        vault = new RoyaltyVault(registry, owner);
        ERC20Mock usdc = new ERC20Mock("USD Coin", "USDC", 6);
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(100);
        HugeSupplyTokenMock huge = new HugeSupplyTokenMock();
        address provider = makeAddr("provider");
        huge.transfer(provider, huge.balanceOf(address(this)));

        address[] memory tokens = new address[](5);
        tokens[0] = address(usdc);
        tokens[1] = address(usdc);
        tokens[2] = address(fot);
        tokens[3] = address(0);
        tokens[4] = address(huge);
        uint256[] memory pools = new uint256[](5);
        for (uint256 i = 0; i < 4; ++i) pools[i] = vault.createPool(tokens[i], provider, 30 days, "");
        // The longest duration keeps the rate of a pool filled to the accumulator bound within its width.
        pools[4] = vault.createPool(address(huge), provider, uint40(vault.MAX_DURATION()), "");
        distinctTokens.push(address(usdc));
        distinctTokens.push(address(fot));
        distinctTokens.push(address(0));
        distinctTokens.push(address(huge));

        handler = new VaultHandler(registry, vault, tokens, pools, 4);
        // The handler's owner actions need the vault's owner.
        vm.prank(owner);
        vault.transferOwnership(address(handler));
        vm.prank(address(handler));
        vault.acceptOwnership();
        targetContract(address(handler));
        // Only the actions: the handler's ghost getters would dilute the sequences.
        bytes4[] memory selectors = new bytes4[](17);
        selectors[0] = VaultHandler.deposit.selector;
        selectors[1] = VaultHandler.depositDust.selector;
        selectors[2] = VaultHandler.depositHuge.selector;
        selectors[3] = VaultHandler.claim.selector;
        selectors[4] = VaultHandler.claimBatch.selector;
        selectors[5] = VaultHandler.claimFor.selector;
        selectors[6] = VaultHandler.withdrawDeferred.selector;
        selectors[7] = VaultHandler.setUnits.selector;
        selectors[8] = VaultHandler.confirmAuthor.selector;
        selectors[9] = VaultHandler.register.selector;
        selectors[10] = VaultHandler.commit.selector;
        selectors[11] = VaultHandler.reveal.selector;
        selectors[12] = VaultHandler.transferAuthorship.selector;
        selectors[13] = VaultHandler.setConsent.selector;
        selectors[14] = VaultHandler.warp.selector;
        selectors[15] = VaultHandler.donate.selector;
        selectors[16] = VaultHandler.setFee.selector;
        targetSelector(FuzzSelector({ addr: address(handler), selectors: selectors }));
    }

    /// @dev Per token: the scaled sum of what contributions are owed, not yet streamed, and carried.
    function _liabilitiesScaled(address token) internal view returns (uint256 owed, uint256 streaming) {
        uint256 count = handler.poolCount();
        for (uint256 p = 0; p < count; ++p) {
            if (handler.tokens(p) != token) continue;
            uint256 poolId = handler.pools(p);
            for (uint256 i = 0; i < handler.IDS(); ++i) owed += vault.owedScaled(poolId, handler.ids(i));
            Vault.PoolState memory state = vault.getPool(poolId);
            streaming += state.notYetStreamed + state.carriedRemainder;
        }
    }

    /// README 1: deposited == claimed + owed + fees + not yet streamed + carried, exactly, in scaled units.
    function invariant_conservation() external view {
        for (uint256 t = 0; t < distinctTokens.length; ++t) {
            address token = distinctTokens[t];
            (uint256 owed, uint256 streaming) = _liabilitiesScaled(token);
            assertEq(
                handler.ghostReceived(token) * SCALE,
                handler.ghostClaimed(token) * SCALE + owed + handler.ghostFees(token) * SCALE + streaming,
                "conservation"
            );
            Vault.TokenTotals memory totals = vault.tokenTotals(token);
            uint256 poolsStreaming = totals.notYetStreamed + totals.carriedRemainder;
            assertEq(poolsStreaming, streaming, "tokenTotals agrees");
        }
    }

    /// README 2: the vault's balance covers everything it owes.
    function invariant_solvency() external view {
        for (uint256 t = 0; t < distinctTokens.length; ++t) {
            address token = distinctTokens[t];
            (uint256 owed, uint256 streaming) = _liabilitiesScaled(token);
            Vault.TokenTotals memory totals = vault.tokenTotals(token);
            uint256 owes = (owed + streaming + SCALE - 1) / SCALE + totals.feesOwed + totals.deferredOwed;
            uint256 balance = token == address(0) ? address(vault).balance : ERC20Mock(token).balanceOf(address(vault));
            assertGe(balance, owes, "solvency");
        }
    }

    /// README 3: what a contribution is owed never decreases, except by its own claim.
    function invariant_owedNeverDecreasesExceptByClaim() external view {
        assertFalse(handler.owedDecreasedWithoutClaim(), "owed decreased");
    }

    /// README 4: the protocol fee never exceeds 5% of what arrived, and the vault's fee books match.
    function invariant_feesCapped() external view {
        for (uint256 t = 0; t < distinctTokens.length; ++t) {
            address token = distinctTokens[t];
            assertLe(handler.ghostFees(token) * 10_000, handler.ghostReceived(token) * 500, "fee cap");
            Vault.TokenTotals memory totals = vault.tokenTotals(token);
            assertEq(totals.feesOwed + totals.feesCollected, handler.ghostFees(token), "fee books");
        }
    }

    /// README 5: a stream never holds more than its rate times its duration, and never ends beyond one duration
    /// from now while the pool has units.
    function invariant_streamBounded() external view {
        uint256 count = handler.poolCount();
        for (uint256 p = 0; p < count; ++p) {
            Vault.PoolState memory state = vault.getPool(handler.pools(p));
            assertLe(state.notYetStreamed, uint256(state.ratePerSecond) * state.duration, "stream bound");
            assertLe(state.streamEnd, block.timestamp + state.duration, "stream end");
        }
    }

    /// README 6: a pool's total units equal the sum of its positions' units.
    function invariant_totalUnits() external view {
        uint256 count = handler.poolCount();
        for (uint256 p = 0; p < count; ++p) {
            uint256 poolId = handler.pools(p);
            uint256 sum;
            for (uint256 i = 0; i < handler.IDS(); ++i) {
                (Vault.Position memory position, ) = vault.positionOf(poolId, handler.ids(i));
                sum += position.units;
            }
            assertEq(vault.getPool(poolId).totalUnits, sum, "total units");
        }
    }

    /// README 7: no deposit ended a stream earlier or lowered a running stream's rate.
    function invariant_depositNeverSlows() external view {
        assertFalse(handler.depositSlowed(), "a deposit slowed a stream");
    }

    /// README 8: every escrowed position paid only older evidence or the confirmed record, and the vault's escrow
    /// books agree with the handler's record of exposures and confirmations.
    function invariant_escrowPaysOnlyOlderOrConfirmed() external view {
        assertFalse(handler.escrowPaidWithoutRight(), "escrow paid a record without a right to it");
        uint256 count = handler.poolCount();
        for (uint256 p = 0; p < count; ++p) {
            uint256 poolId = handler.pools(p);
            for (uint256 i = 0; i < handler.IDS(); ++i) {
                bytes32 id = handler.ids(i);
                Vault.Escrow memory escrow = vault.escrowOf(poolId, id);
                (Vault.Position memory position, ) = vault.positionOf(poolId, id);
                assertEq(escrow.exposedAt, handler.ghostExposedAt(p, i), "exposedAt");
                assertEq(escrow.confirmedAt, handler.ghostConfirmedAt(p, i), "confirmedAt");
                assertEq(position.escrowed, handler.ghostExposedAt(p, i) != 0, "escrowed flag");
            }
        }
    }

    /// README 9: accumulator + carry + not yet streamed fits a uint160 in every pool, and deposits into the hostile
    /// token's pool were refused exactly at that bound.
    function invariant_accumulatorBounded() external view {
        uint256 count = handler.poolCount();
        for (uint256 p = 0; p < count; ++p) {
            Vault.PoolState memory state = vault.getPool(handler.pools(p));
            assertLe(
                uint256(state.accPerUnit) + state.carriedRemainder + state.notYetStreamed,
                type(uint160).max,
                "accumulator bound"
            );
        }
        assertFalse(handler.depositRefusedWithinBound(), "a deposit under the bound was refused");
        assertFalse(handler.depositAcceptedBeyondBound(), "a deposit past the bound was taken");
    }

    /// README 10: per token, the deferred total is the sum of the authors' credits, each as the events credited it,
    /// and nobody but an author is credited.
    function invariant_deferredTotals() external view {
        for (uint256 t = 0; t < distinctTokens.length; ++t) {
            address token = distinctTokens[t];
            uint256 sum;
            for (uint256 a = 0; a < handler.AUTHORS(); ++a) {
                address author = handler.authors(a);
                uint256 credit = vault.deferredOf(author, token);
                assertEq(credit, handler.ghostDeferred(author, token), "credit as the events state");
                sum += credit;
            }
            assertEq(vault.tokenTotals(token).deferredOwed, sum, "deferred total");
            assertEq(vault.deferredOf(handler.refuser(), token), 0, "a recipient that is no author");
            assertEq(handler.ghostDeferred(handler.refuser(), token), 0, "no event credits it");
        }
    }
}
