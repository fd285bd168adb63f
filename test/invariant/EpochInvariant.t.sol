// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";

import { AttributionEpochs } from "../../contracts/AttributionEpochs.sol";
import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../contracts/RoyaltyVault.sol";
import { Epochs } from "../../contracts/types/EpochTypes.sol";
import { ERC20Mock } from "../mocks/ERC20Mock.sol";
import { FeeOnTransferTokenMock } from "../mocks/FeeOnTransferTokenMock.sol";
import { EpochHandler } from "./handlers/EpochHandler.sol";

/// @notice The AttributionEpochs invariants, each described in words in test/invariant/README.md (11 to 14).
contract AttributionEpochs_Invariant_Test is Test {
    AttributionEpochs internal epochs;
    EpochHandler internal handler;
    address[] internal distinctTokens;

    function setUp() public {
        vm.warp(1_750_000_000);
        address owner = makeAddr("owner");
        AuthorshipRegistry registry = new AuthorshipRegistry(owner);
        RoyaltyVault vault = new RoyaltyVault(registry, owner);
        epochs = new AttributionEpochs(registry, vault);
        ERC20Mock usdc = new ERC20Mock("USD Coin", "USDC", 6);
        FeeOnTransferTokenMock fot = new FeeOnTransferTokenMock(100);
        address provider = makeAddr("provider");
        address publisher = makeAddr("publisher");
        address challenger = makeAddr("challenger");

        address[] memory tokens = new address[](4);
        tokens[0] = address(usdc);
        tokens[1] = address(usdc);
        tokens[2] = address(fot);
        tokens[3] = address(0);
        uint256[] memory pools = new uint256[](4);
        for (uint256 i = 0; i < 4; ++i) {
            pools[i] = epochs.createPool(
                Epochs.PoolParams({
                    token: tokens[i],
                    admin: provider,
                    publisher: publisher,
                    challenger: challenger,
                    challengeWindow: i == 0 ? 1 hours : 3 days,
                    // The second USDC pool lets its admin reclaim 90 days after its last publication.
                    reclaimDelay: i == 1 ? 90 days : 0,
                    metadataUri: ""
                })
            );
        }
        distinctTokens.push(address(usdc));
        distinctTokens.push(address(fot));
        distinctTokens.push(address(0));

        handler = new EpochHandler(registry, vault, epochs, tokens, pools, provider, publisher, challenger);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = EpochHandler.fund.selector;
        selectors[1] = EpochHandler.publish.selector;
        selectors[2] = EpochHandler.veto.selector;
        selectors[3] = EpochHandler.warp.selector;
        selectors[4] = EpochHandler.register.selector;
        selectors[5] = EpochHandler.confirmAuthor.selector;
        selectors[6] = EpochHandler.claim.selector;
        selectors[7] = EpochHandler.claimFor.selector;
        selectors[8] = EpochHandler.claimBatch.selector;
        selectors[9] = EpochHandler.withdrawDeferred.selector;
        selectors[10] = EpochHandler.setFee.selector;
        selectors[11] = EpochHandler.collectFees.selector;
        selectors[12] = EpochHandler.reclaim.selector;
        // Publication twice: most sequences should reach several epochs.
        selectors[13] = EpochHandler.publish.selector;
        targetSelector(FuzzSelector({ addr: address(handler), selectors: selectors }));
    }

    /// README 11: per pool, what was claimed never exceeds what was funded (net of the fee).
    function invariant_claimedNeverExceedsFunded() external view {
        for (uint256 p = 0; p < handler.poolCount(); ++p) {
            Epochs.PoolState memory state = epochs.getPool(handler.pools(p));
            assertLe(state.claimed, state.funded, "pool claimed <= funded");
        }
    }

    /// README 12: per contribution, what was claimed is at most its cumulative amount in an epoch that paid (never a
    /// vetoed one), and claims only ever proved against the pool's payable epoch.
    function invariant_contributionClaimedWithinAcceptedAmount() external view {
        assertFalse(handler.paidFromNonPayable(), "a claim proved against an epoch that was not payable");
        for (uint256 p = 0; p < handler.poolCount(); ++p) {
            uint256 poolId = handler.pools(p);
            uint32 count = handler.ghostEpochCount(p);
            for (uint256 i = 0; i < handler.IDS(); ++i) {
                uint256 claimed = epochs.positionOf(poolId, handler.ids(i)).claimed;
                if (claimed == 0) continue;
                bool matched;
                for (uint32 e = 1; e <= count; ++e) {
                    if (handler.ghostVetoed(p, e)) continue;
                    (, , Epochs.Status status) = epochs.epochOf(poolId, e);
                    if (status == Epochs.Status.Pending) continue;
                    if (handler.amountOf(p, e, i) == claimed) matched = true;
                }
                assertTrue(matched, "claimed equals a leaf of an epoch that paid");
            }
        }
    }

    /// README 13: per token, the contract's balance covers what every pool still owes (funded - claimed), the
    /// protocol fees owed and the deferred payouts.
    function invariant_solvency() external view {
        for (uint256 t = 0; t < distinctTokens.length; ++t) {
            address token = distinctTokens[t];
            uint256 owes;
            for (uint256 p = 0; p < handler.poolCount(); ++p) {
                if (handler.tokens(p) != token) continue;
                Epochs.PoolState memory state = epochs.getPool(handler.pools(p));
                owes += state.funded - state.claimed;
            }
            (uint256 deferredOwed, uint256 feesOwed) = epochs.tokenTotals(token);
            owes += deferredOwed + feesOwed;
            uint256 balance =
                token == address(0) ? address(epochs).balance : ERC20Mock(token).balanceOf(address(epochs));
            assertGe(balance, owes, "solvency");
        }
    }

    /// README 14: a vetoed root never pays, and stays vetoed.
    function invariant_vetoedRootNeverPays() external view {
        assertFalse(handler.paidFromVetoed(), "a vetoed root paid");
        for (uint256 p = 0; p < handler.poolCount(); ++p) {
            for (uint32 e = 1; e <= handler.ghostEpochCount(p); ++e) {
                if (!handler.ghostVetoed(p, e)) continue;
                (, , Epochs.Status status) = epochs.epochOf(handler.pools(p), e);
                assertEq(uint8(status), uint8(Epochs.Status.Vetoed), "vetoed status");
            }
        }
    }
}
