// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship } from "../utils/Base.t.sol";

contract RegisterBatch_Fuzz_Test is Base {
    function _batch(uint256 seed, uint256 size) internal pure returns (Authorship.Registration[] memory batch) {
        batch = new Authorship.Registration[](size);
        for (uint256 i = 0; i < size; ++i) {
            batch[i] = _registration(keccak256(abi.encode(seed, i)));
            batch[i].kind = uint8(uint256(keccak256(abi.encode(seed, i, "kind"))) % 6);
            batch[i].trainingConsent = uint256(keccak256(abi.encode(seed, i, "consent"))) % 2 == 0;
            // Every third item derives from the one before it.
            if (i % 3 == 2) {
                batch[i].parents = new bytes32[](1);
                batch[i].parents[0] = batch[i - 1].contributionId;
            }
        }
    }

    function testFuzz_RegisterBatch(uint256 seed, uint256 size, uint40 time) external {
        size = bound(size, 1, 64);
        vm.warp(bound(time, 1, type(uint40).max));
        Authorship.Registration[] memory batch = _batch(seed, size);
        vm.prank(alice);
        registry.registerBatch(batch);
        for (uint256 i = 0; i < size; ++i) {
            _assertRecord(
                batch[i].contributionId,
                alice,
                block.timestamp,
                Authorship.Kind(batch[i].kind),
                batch[i].trainingConsent
            );
        }
    }

    /// @dev One duplicate anywhere makes the whole batch change nothing.
    function testFuzz_RevertWhen_DuplicateAnywhere(uint256 seed, uint256 size, uint256 from, uint256 to) external {
        size = bound(size, 2, 64);
        to = bound(to, 1, size - 1);
        from = bound(from, 0, to - 1);
        Authorship.Registration[] memory batch = _batch(seed, size);
        batch[to].contributionId = batch[from].contributionId;
        batch[to].parents = new bytes32[](0);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_AlreadyRegistered.selector,
                batch[from].contributionId,
                alice
            )
        );
        vm.prank(alice);
        registry.registerBatch(batch);
        for (uint256 i = 0; i < size; ++i) {
            _assertUnregistered(batch[i].contributionId);
        }
    }

    function testFuzz_RevertWhen_Oversized(uint256 size) external {
        size = bound(size, registry.MAX_BATCH_SIZE() + 1, registry.MAX_BATCH_SIZE() + 32);
        Authorship.Registration[] memory batch = new Authorship.Registration[](size);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_BatchTooLarge.selector, size, registry.MAX_BATCH_SIZE())
        );
        vm.prank(alice);
        registry.registerBatch(batch);
    }
}
