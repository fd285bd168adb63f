// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";

import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../contracts/RoyaltyVault.sol";
import { Vault } from "../../contracts/types/VaultTypes.sol";
import { ERC20Mock } from "../mocks/ERC20Mock.sol";
import { FeeOnTransferTokenMock } from "../mocks/FeeOnTransferTokenMock.sol";
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

        address[] memory tokens = new address[](4);
        tokens[0] = address(usdc);
        tokens[1] = address(usdc);
        tokens[2] = address(fot);
        tokens[3] = address(0);
        uint256[] memory pools = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) pools[i] = vault.createPool(tokens[i], makeAddr("provider"), 30 days, "");
        distinctTokens.push(address(usdc));
        distinctTokens.push(address(fot));
        distinctTokens.push(address(0));

        handler = new VaultHandler(registry, vault, tokens, pools);
        // The handler's owner actions need the vault's owner.
        vm.prank(owner);
        vault.transferOwnership(address(handler));
        vm.prank(address(handler));
        vault.acceptOwnership();
        targetContract(address(handler));
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
}
