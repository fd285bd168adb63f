// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { RoyaltyVault } from "../../../contracts/RoyaltyVault.sol";
import { VaultBase, Vault } from "../VaultBase.t.sol";

/// @notice A pool gets the same deposits as the same pool of a baseline vault, plus one extra deposit by anyone:
/// from then on it never streams more slowly, never ends earlier and never has released less.
contract DepositNeverSlows_Fuzz_Test is VaultBase {
    RoyaltyVault internal baseline;
    uint256 internal baselinePool;

    function setUp() public override {
        super.setUp();
        baseline = new RoyaltyVault(registry, owner);
        vm.startPrank(admin);
        usdc.approve(address(baseline), type(uint256).max);
        baselinePool = baseline.createPool(address(usdc), admin, DURATION, URI);
        vm.stopPrank();
    }

    function _both(uint256 amount) internal {
        vm.startPrank(admin);
        vault.deposit(pool, amount);
        baseline.deposit(baselinePool, amount);
        vm.stopPrank();
    }

    /// @dev What the pool has released, scaled: everything deposited less what has not streamed yet.
    function _released(RoyaltyVault vault_, uint256 poolId, uint256 deposited) internal view returns (uint256) {
        return deposited * SCALE - vault_.getPool(poolId).notYetStreamed;
    }

    function testFuzz_ExtraDepositNeverSlowsTheStream(
        uint256 first,
        uint256 second,
        uint256 extra,
        uint256 units,
        uint256 gap,
        uint256 wait,
        uint256 look
    ) external {
        first = bound(first, 1, 1e24);
        second = bound(second, 0, 1e24);
        extra = bound(extra, 1, 1e24);
        units = bound(units, 1, 10_000_000);
        gap = bound(gap, 0, 2 * DURATION);
        wait = bound(wait, 0, 2 * DURATION);
        look = bound(look, 1, 2 * DURATION);
        _setUnits(pool, ID, units);
        vm.prank(admin);
        baseline.setUnits(baselinePool, _ids(ID), _nums(units));

        // The same history in both.
        _both(first);
        vm.warp(block.timestamp + gap);
        if (second != 0) _both(second);
        uint256 deposited = first + second;
        vm.warp(block.timestamp + wait);

        // The extra deposit, in the vault only.
        Vault.PoolState memory without = baseline.getPool(baselinePool);
        vm.prank(admin);
        vault.deposit(pool, extra);
        Vault.PoolState memory with = vault.getPool(pool);
        if (without.notYetStreamed != 0) assertGe(with.ratePerSecond, without.ratePerSecond, "rate");
        assertGe(with.streamEnd, without.streamEnd, "end");
        assertLe(with.streamEnd, block.timestamp + DURATION, "within one duration");
        uint256 depositedAt = block.timestamp;

        // Released at least as much at any later time, and all of it within one duration of the deposit.
        vm.warp(depositedAt + look);
        assertGe(_released(vault, pool, deposited + extra), _released(baseline, baselinePool, deposited), "released");
        vm.warp(depositedAt + DURATION);
        assertGe(
            _released(vault, pool, deposited + extra),
            _released(baseline, baselinePool, deposited),
            "released at the end"
        );
        assertEq(vault.getPool(pool).notYetStreamed, 0, "all streamed within one duration");
    }
}
