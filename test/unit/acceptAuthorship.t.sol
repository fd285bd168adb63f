// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract AcceptAuthorship_Unit_Test is Base {
    function setUp() public override {
        super.setUp();
        _registerAs(alice, HASH);
        vm.prank(alice);
        registry.transferAuthorship(HASH, bob);
    }

    function test_RevertWhen_CallerNotPendingAuthor() external {
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotPendingAuthor.selector, HASH, eve, bob));
        vm.prank(eve);
        registry.acceptAuthorship(HASH);
        assertEq(_recordWord(HASH), before);
        assertEq(registry.pendingAuthorOf(HASH), bob);
    }

    function test_RevertWhen_NothingPending() external {
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_NotPendingAuthor.selector, OTHER_HASH, bob, address(0))
        );
        vm.prank(bob);
        registry.acceptAuthorship(OTHER_HASH);
        _assertUnregistered(OTHER_HASH);
    }

    function test_RevertWhen_ZeroAddressAccepts() external {
        vm.prank(alice);
        registry.transferAuthorship(HASH, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(Errors.AuthorshipRegistry_NotPendingAuthor.selector, HASH, address(0), address(0))
        );
        vm.prank(address(0));
        registry.acceptAuthorship(HASH);
        assertEq(registry.authorOf(HASH), alice);
    }

    function test_AcceptAuthorship() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.AuthorshipTransferred(HASH, alice, bob, 1);
        vm.prank(bob);
        registry.acceptAuthorship(HASH);
        _assertRecord(HASH, bob, START, Authorship.Kind.Prompt, true);
        assertEq(registry.getRecord(HASH).nonce, 1);
        assertEq(registry.pendingAuthorOf(HASH), address(0));

        // The previous author has no say any more.
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotAuthor.selector, HASH, alice, bob));
        vm.prank(alice);
        registry.setTrainingConsent(HASH, false);
    }
}
