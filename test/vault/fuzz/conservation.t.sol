// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { VaultBase, Vault } from "../VaultBase.t.sol";

/// @notice Conservation of one pool under a fuzzed deposit, unit, time and claim sequence.
contract Conservation_Fuzz_Test is VaultBase {
    function _check(uint256 deposited) internal view {
        Vault.PoolState memory state = vault.getPool(pool);
        uint256 owed = vault.owedScaled(pool, ID) + vault.owedScaled(pool, ID2);
        assertEq(deposited * SCALE, owed + state.notYetStreamed + state.carriedRemainder, "conservation");
    }

    function testFuzz_Conservation(
        uint256 amount1,
        uint256 amount2,
        uint256 units1,
        uint256 units2,
        uint256 gap1,
        uint256 gap2
    ) external {
        amount1 = bound(amount1, 1, 1e24);
        amount2 = bound(amount2, 1, 1e24);
        units1 = bound(units1, 0, 10_000_000);
        units2 = bound(units2, 1, 10_000_000);
        gap1 = bound(gap1, 0, 40 days);
        gap2 = bound(gap2, 0, 40 days);
        _deposit(pool, amount1);
        _check(amount1);
        vm.warp(block.timestamp + gap1);
        _check(amount1);
        _setUnits(pool, ID, units1);
        _check(amount1);
        _setUnits(pool, ID2, units2);
        vm.warp(block.timestamp + gap2);
        _check(amount1);
        _deposit(pool, amount2);
        _check(amount1 + amount2);
        vm.warp(block.timestamp + gap1);
        _check(amount1 + amount2);
    }
}
