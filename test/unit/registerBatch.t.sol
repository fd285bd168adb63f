// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract RegisterBatch_Unit_Test is Base {
    function _batch(uint256 size) internal pure returns (Authorship.Registration[] memory batch) {
        batch = new Authorship.Registration[](size);
        for (uint256 i = 0; i < size; ++i) {
            batch[i] = _registration(keccak256(abi.encode("batch", i)));
        }
    }

    function test_RevertWhen_Empty() external {
        vm.expectRevert(Errors.AuthorshipRegistry_EmptyBatch.selector);
        vm.prank(alice);
        registry.registerBatch(new Authorship.Registration[](0));
    }

    function test_RevertWhen_Oversized() external {
        Authorship.Registration[] memory batch = _batch(registry.MAX_BATCH_SIZE() + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_BatchTooLarge.selector,
                batch.length,
                registry.MAX_BATCH_SIZE()
            )
        );
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertUnregistered(batch[0].contributionId);
    }

    function test_RevertWhen_DuplicateInsideBatch() external {
        Authorship.Registration[] memory batch = _batch(3);
        batch[2].contributionId = batch[0].contributionId;
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, batch[0].contributionId, alice)
        );
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertUnregistered(batch[0].contributionId);
        _assertUnregistered(batch[1].contributionId);
    }

    function test_RevertWhen_OneItemAlreadyRegistered() external {
        Authorship.Registration[] memory batch = _batch(3);
        _registerAs(bob, batch[1].contributionId);
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, batch[1].contributionId, bob)
        );
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertUnregistered(batch[0].contributionId);
        assertEq(registry.authorOf(batch[1].contributionId), bob);
    }

    function test_RevertWhen_OneItemHasZeroHash() external {
        Authorship.Registration[] memory batch = _batch(2);
        batch[1].contributionId = bytes32(0);
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertUnregistered(batch[0].contributionId);
    }

    function test_RevertWhen_OneItemHasMissingParent() external {
        Authorship.Registration[] memory batch = _batch(2);
        batch[1].parents = new bytes32[](1);
        batch[1].parents[0] = HASH;
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownParent.selector, batch[1].contributionId, HASH)
        );
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertUnregistered(batch[0].contributionId);
    }

    function test_RegisterBatch_MaxSize() external {
        Authorship.Registration[] memory batch = _batch(registry.MAX_BATCH_SIZE());
        vm.prank(alice);
        registry.registerBatch(batch);
        for (uint256 i = 0; i < batch.length; ++i) {
            _assertRecord(batch[i].contributionId, alice, START, Authorship.Kind.Prompt, true);
        }
    }

    function test_RegisterBatch_ParentEarlierInBatch() external {
        Authorship.Registration[] memory batch = _batch(2);
        batch[1].parents = new bytes32[](1);
        batch[1].parents[0] = batch[0].contributionId;
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(
            batch[0].contributionId,
            alice,
            Authorship.Kind.Prompt,
            uint40(START),
            true,
            URI
        );
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(
            batch[1].contributionId,
            alice,
            Authorship.Kind.Prompt,
            uint40(START),
            true,
            URI
        );
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionDerived(batch[1].contributionId, batch[1].parents);
        vm.prank(alice);
        registry.registerBatch(batch);
        _assertRecord(batch[1].contributionId, alice, START, Authorship.Kind.Prompt, true);
    }

    function test_RevertWhen_OneItemHasInvalidKind() external {
        Authorship.Registration[] memory batch = _batch(3);
        batch[2].kind = INVALID_KIND;
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        vm.prank(alice);
        registry.registerBatch(batch);
        for (uint256 i = 0; i < batch.length; ++i) {
            _assertUnregistered(batch[i].contributionId);
        }
    }
}
