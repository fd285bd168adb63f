// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test } from "forge-std/Test.sol";

import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import { AccumulatorWord, PositionWord, StreamWord, VaultLayout } from "../../../contracts/libraries/VaultLayout.sol";
import { Vault } from "../../../contracts/types/VaultTypes.sol";

/// @notice Holds the vault's packed structs, so the compiler lays them out; the test compares that layout with
/// {VaultLayout}'s, field by field, in both directions.
contract VaultLayoutHarness {
    Vault.Config internal _config;
    Vault.Pool internal _pool;
    Vault.Position internal _position;

    function setConfig(Vault.Config calldata config) external {
        _config = config;
    }

    function setPool(Vault.Pool calldata pool) external {
        _pool = pool;
    }

    function setPosition(Vault.Position calldata position) external {
        _position = position;
    }

    function pool() external view returns (Vault.Pool memory) {
        return _pool;
    }

    function readConfig() external view returns (uint256 feeBps, bool paused) {
        feeBps = VaultLayout.load(_config).feeBps();
        paused = VaultLayout.load(_config).paused();
    }

    /// @dev The pool's first three slots as the library reads them; each getter's value is cast back to its field's
    /// type only after a check that it fits, so a getter that read too wide a field would revert.
    function readPool()
        external
        view
        returns (Vault.Accumulator memory acc, Vault.Stream memory stream, address token, uint256 totalUnits)
    {
        AccumulatorWord accumulator = VaultLayout.loadAccumulator(_pool);
        StreamWord streamWord = VaultLayout.loadStream(_pool);
        acc = Vault.Accumulator({
            accPerUnit: SafeCast.toUint160(accumulator.accPerUnit()),
            carry: SafeCast.toUint96(accumulator.carry())
        });
        stream = Vault.Stream({
            ratePerSecond: SafeCast.toUint136(streamWord.ratePerSecond()),
            lastUpdate: SafeCast.toUint40(streamWord.lastUpdate()),
            streamEnd: SafeCast.toUint40(streamWord.streamEnd()),
            duration: SafeCast.toUint40(streamWord.duration())
        });
        token = VaultLayout.loadToken(_pool).token();
        totalUnits = VaultLayout.loadToken(_pool).totalUnits();
    }

    function readPosition() external view returns (Vault.Position memory position) {
        PositionWord word = VaultLayout.load(_position);
        position = Vault.Position({
            units: SafeCast.toUint48(word.units()),
            accPerUnitPaid: SafeCast.toUint160(word.accPerUnitPaid()),
            fraction: SafeCast.toUint32(word.fraction()),
            hasAccrued: word.hasAccrued(),
            escrowed: word.escrowed()
        });
    }

    function storeCheckpoint(Vault.Accumulator calldata acc, Vault.Stream calldata stream) external {
        VaultLayout.storeCheckpoint(
            _pool,
            acc.accPerUnit,
            acc.carry,
            stream.ratePerSecond,
            stream.lastUpdate,
            stream.streamEnd,
            stream.duration
        );
    }
}

contract VaultLayout_Unit_Test is Test {
    VaultLayoutHarness internal harness;

    function setUp() external {
        harness = new VaultLayoutHarness();
    }

    function testFuzz_ConfigFields(Vault.Config calldata config) external {
        harness.setConfig(config);
        (uint256 feeBps, bool paused) = harness.readConfig();
        assertEq(feeBps, config.feeBps, "feeBps");
        assertEq(paused, config.paused, "paused");
    }

    function testFuzz_PoolFields(Vault.Pool calldata pool) external {
        harness.setPool(pool);
        (Vault.Accumulator memory acc, Vault.Stream memory stream, address token, uint256 totalUnits) = harness
            .readPool();
        assertEq(abi.encode(acc), abi.encode(pool.accumulator), "accumulator");
        assertEq(abi.encode(stream), abi.encode(pool.stream), "stream");
        assertEq(token, pool.token, "token");
        assertEq(totalUnits, pool.totalUnits, "totalUnits");
    }

    function testFuzz_PositionFields(Vault.Position calldata position) external {
        harness.setPosition(position);
        assertEq(abi.encode(harness.readPosition()), abi.encode(position));
    }

    /// @dev The checkpoint written as two words reads back through the compiler's fields, and leaves the pool's
    /// other slots as they were.
    function testFuzz_StoreCheckpoint(
        Vault.Pool calldata before,
        Vault.Accumulator calldata acc,
        Vault.Stream calldata stream
    ) external {
        harness.setPool(before);
        harness.storeCheckpoint(acc, stream);
        Vault.Pool memory pool = harness.pool();
        assertEq(abi.encode(pool.accumulator), abi.encode(acc), "accumulator");
        assertEq(abi.encode(pool.stream), abi.encode(stream), "stream");
        assertEq(pool.token, before.token, "token");
        assertEq(pool.totalUnits, before.totalUnits, "totalUnits");
        assertEq(pool.admin, before.admin, "admin");
        assertEq(pool.attributor, before.attributor, "attributor");
    }
}
