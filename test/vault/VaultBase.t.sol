// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Test, Vm } from "forge-std/Test.sol";
import { Hashes } from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import { AuthorshipRegistry } from "../../contracts/AuthorshipRegistry.sol";
import { RoyaltyVault } from "../../contracts/RoyaltyVault.sol";
import { IRoyaltyVault } from "../../contracts/interfaces/IRoyaltyVault.sol";
import { IPayouts } from "../../contracts/interfaces/IPayouts.sol";
import { Errors } from "../../contracts/libraries/Errors.sol";
import { AccumulatorWord, StreamWord, TokenWord, VaultLayout } from "../../contracts/libraries/VaultLayout.sol";
import { Authorship } from "../../contracts/types/DataTypes.sol";
import { Vault } from "../../contracts/types/VaultTypes.sol";
import { ERC20Mock } from "../mocks/ERC20Mock.sol";

/// @notice Shared users, deployment and helpers of the RoyaltyVault tests.
abstract contract VaultBase is Test {
    uint256 internal constant START = 1_750_000_000;
    uint40 internal constant DURATION = 30 days;
    uint256 internal constant SCALE = 1e9;
    bytes32 internal constant ID = keccak256("a prompt");
    bytes32 internal constant ID2 = keccak256("another prompt");
    bytes32 internal constant ID3 = keccak256("a dataset");
    string internal constant URI = "ipfs://pool";
    bytes32 internal constant SALT = keccak256("salt");

    AuthorshipRegistry internal registry;
    RoyaltyVault internal vault;
    ERC20Mock internal usdc;

    address internal owner;
    address internal admin;
    address internal attributor;
    address internal alice;
    address internal bob;
    address internal eve;
    address internal keeper;
    address internal feeRecipient;
    address internal attester;

    uint256 internal pool; // a USDC pool
    uint256 internal ethPool; // an ETH pool

    function setUp() public virtual {
        vm.warp(START);
        owner = makeAddr("owner");
        admin = makeAddr("admin");
        attributor = makeAddr("attributor");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        eve = makeAddr("eve");
        keeper = makeAddr("keeper");
        feeRecipient = makeAddr("feeRecipient");
        attester = makeAddr("attester");

        registry = new AuthorshipRegistry(owner);
        vault = new RoyaltyVault(registry, owner);
        vm.prank(owner);
        registry.setAttester(attester, true);
        usdc = new ERC20Mock("USD Coin", "USDC", 6);

        usdc.mint(admin, 1e30);
        vm.prank(admin);
        usdc.approve(address(vault), type(uint256).max);
        vm.deal(admin, 1e30);

        pool = _createPool(address(usdc));
        ethPool = _createPool(address(0));
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      HELPERS
    //////////////////////////////////////////////////////////////////////////*/

    function _createPool(address token) internal returns (uint256 poolId) {
        vm.prank(admin);
        poolId = vault.createPool(token, admin, DURATION, URI);
    }

    function _register(address author, bytes32 id) internal {
        vm.prank(author);
        registry.register(id, uint8(Authorship.Kind.Prompt), "");
    }

    function _registration(bytes32 id) internal pure returns (Authorship.Registration memory registration) {
        registration.contributionId = id;
        registration.kind = uint8(Authorship.Kind.Prompt);
        registration.trainingConsent = true;
    }

    /// @dev `author` commits to registering `id` (evidence dated now, the hash kept private).
    function _commit(address author, bytes32 id) internal {
        bytes32 commitment = registry.computeCommitment(_registration(id), author, SALT);
        vm.prank(author);
        registry.commit(commitment);
    }

    /// @dev `author` reveals the commitment of {_commit}: the record is dated at the commitment.
    function _reveal(address author, bytes32 id) internal {
        vm.prank(author);
        registry.reveal(_registration(id), SALT);
    }

    /// @dev The attester anchors a two-leaf root crediting `author` with `id` (evidence dated now); returns the
    /// root and the leaf's proof.
    function _anchor(address author, bytes32 id) internal returns (bytes32 root, bytes32[] memory proof) {
        bytes32 leaf = registry.computeLeaf(id, author, uint8(Authorship.Kind.Dataset));
        proof = new bytes32[](1);
        proof[0] = keccak256(abi.encode("another leaf", id));
        root = Hashes.commutativeKeccak256(leaf, proof[0]);
        vm.prank(attester);
        registry.anchor(root, "ipfs://leaves");
    }

    function _materialize(bytes32 root, address author, bytes32 id, bytes32[] memory proof) internal {
        registry.materialize(root, id, author, uint8(Authorship.Kind.Dataset), proof);
    }

    function _revokeConsent(address author, bytes32 id) internal {
        vm.prank(author);
        registry.setTrainingConsent(id, false);
    }

    function _setUnits(uint256 poolId, bytes32 id, uint256 units) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = id;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = units;
        vm.prank(admin);
        vault.setUnits(poolId, ids, amounts);
    }

    function _deposit(uint256 poolId, uint256 amount) internal {
        vm.prank(admin);
        if (poolId == ethPool) vault.deposit{ value: amount }(poolId, amount);
        else vault.deposit(poolId, amount);
    }

    function _ids(bytes32 a) internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](1);
        ids[0] = a;
    }

    function _ids(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](2);
        ids[0] = a;
        ids[1] = b;
    }

    function _nums(uint256 a) internal pure returns (uint256[] memory nums) {
        nums = new uint256[](1);
        nums[0] = a;
    }

    function _nums(uint256 a, uint256 b) internal pure returns (uint256[] memory nums) {
        nums = new uint256[](2);
        nums[0] = a;
        nums[1] = b;
    }

    /// @dev The storage slot of a pool's `slot`th slot ({VaultLayout}'s `POOL_*_SLOT`); `_pools` is the vault's seventh
    /// storage variable (after Ownable2Step's two and {Payouts}' two).
    function _poolSlot(uint256 poolId, uint256 slot) internal pure returns (bytes32) {
        return bytes32(uint256(keccak256(abi.encode(poolId, uint256(6)))) + slot);
    }

    /// @dev A pool's stored checkpoint, read from its first two slots: what the events state and an indexer stores.
    /// {IRoyaltyVault.getPool} shows the same checkpoint advanced to now.
    function _storedCheckpoint(
        uint256 poolId
    ) internal view returns (uint256 accPerUnit, uint256 carry, uint256 ratePerSecond, uint256 streamEnd) {
        AccumulatorWord accumulator = AccumulatorWord.wrap(
            uint256(vm.load(address(vault), _poolSlot(poolId, VaultLayout.POOL_ACCUMULATOR_SLOT)))
        );
        StreamWord stream = StreamWord.wrap(
            uint256(vm.load(address(vault), _poolSlot(poolId, VaultLayout.POOL_STREAM_SLOT)))
        );
        assertEq(stream.duration(), vault.getPool(poolId).duration, "stream slot layout");
        accPerUnit = accumulator.accPerUnit();
        carry = accumulator.carry();
        ratePerSecond = stream.ratePerSecond();
        streamEnd = stream.streamEnd();
    }

    /// @dev A pool's stored token and total units, read from its third slot.
    function _storedToken(uint256 poolId) internal view returns (TokenWord) {
        return TokenWord.wrap(uint256(vm.load(address(vault), _poolSlot(poolId, VaultLayout.POOL_TOKEN_SLOT))));
    }

    /// @dev The data of the last log the vault emitted with `topic0` among `logs`.
    function _lastLogData(Vm.Log[] memory logs, bytes32 topic0) internal view returns (bytes memory data) {
        bool found;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(vault) && logs[i].topics[0] == topic0) {
                data = logs[i].data;
                found = true;
            }
        }
        assertTrue(found, "event emitted");
    }

    /// @dev The number of logs the vault emitted with `topic0` among `logs`.
    function _countLogs(Vm.Log[] memory logs, bytes32 topic0) internal view returns (uint256 count) {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter == address(vault) && logs[i].topics[0] == topic0) ++count;
        }
    }

    /// @dev The whole state of a pool, and of one position in it, as one comparable value.
    function _stateWord(uint256 poolId, bytes32 id) internal view returns (bytes32) {
        (Vault.Position memory position, uint256 accrued) = vault.positionOf(poolId, id);
        return
            keccak256(
                abi.encode(
                    vault.getPool(poolId),
                    position,
                    accrued,
                    vault.escrowOf(poolId, id),
                    vault.config(),
                    vault.pendingAdminOf(poolId),
                    vault.tokenTotals(address(usdc)),
                    vault.tokenTotals(address(0)),
                    usdc.balanceOf(address(vault)),
                    address(vault).balance
                )
            );
    }
}
